"""`python -m diviml COMMAND`: export, run, profile and handoff
(diviml.runtime.cli, docs/runtime.md)."""
import argparse
import sys


def main(argv=None):
    from .runtime import cli
    ap = argparse.ArgumentParser(prog="python -m diviml")
    sub = ap.add_subparsers(dest="command", required=True)
    cli.add_parsers(sub)
    a = ap.parse_args(argv)
    try:
        return cli.run_command(a)
    except cli.RuntimeInputError as e:
        print(f"diviml: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
