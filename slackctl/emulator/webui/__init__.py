"""The emulator's web UI: static files (index.html, app.css, app.js) served at / and the routes behind them
(slackctl/emulator/webui/routes.py)."""
