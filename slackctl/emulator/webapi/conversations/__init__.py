"""conversations.*: reading and creating channels (channels.py); membership, replies, topic, archive (members.py)."""
