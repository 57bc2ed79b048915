"""Where the repository's zoo and the diviml executable are, for the source
tree (python/diviml) and an installed package alike: $DIVIML_ZOO /
$DIVIML_BIN first, else the checkout the package lies in, else the current
directory."""
import os
from pathlib import Path


def repo_root():
    here = Path(__file__).resolve().parents[3]
    for cand in (here, Path.cwd()):
        if (cand / "zoo" / "models").is_dir():
            return cand
    return here


def zoo_dir():
    return Path(os.environ.get("DIVIML_ZOO") or repo_root() / "zoo")
