"""Running unmodified apps against the emulator: the intercepting HTTPS proxy, its certificates and the Node preload;
the --tls server certificates."""
