"""The local development loop: `slackctl run`, `emulator exec`, `events forward/sign/verify` (no CLI code here)."""
