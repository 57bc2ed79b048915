"""Node ids as DiviML's ONNX importer names them (src/io/onnx/import.cc):
NodeProto.name, or "<op_type>_<index>" (index in graph.node) when empty; a
repeated name gets "_<index>" appended (then "_" until unique); Constant
nodes get no id; graph inputs are "input:<name>", outputs "output:<name>"."""


def is_constant(node):
    return node.op_type == "Constant" and node.domain in ("", "ai.onnx")


def node_ids(graph):
    """{NodeProto index: id} for every operator (non-Constant) node."""
    inits = {t.name for t in graph.initializer}
    taken = {"input:" + vi.name for vi in graph.input if vi.name not in inits}
    ids = {}
    for k, node in enumerate(graph.node):
        if is_constant(node):
            continue
        nid = node.name if node.name else f"{node.op_type}_{k}"
        if nid in taken:
            nid = f"{nid}_{k}"
        while nid in taken:
            nid += "_"
        taken.add(nid)
        ids[k] = nid
    return ids
