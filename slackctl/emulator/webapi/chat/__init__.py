"""chat.*: posting, updating and deleting messages (messages.py); ephemeral, scheduled, /me, permalinks and streams
(extras.py)."""
