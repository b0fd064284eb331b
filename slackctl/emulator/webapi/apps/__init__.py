"""apps.*: manifests (manifest.py), Socket Mode connections (connections.py), hosted external auth (external.py)."""
