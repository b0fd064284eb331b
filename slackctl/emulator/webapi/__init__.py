"""Slack's Web API at /api/METHOD: dispatch, the method registry, shared access checks and one module per
namespace (method a.b.c lives in webapi/a.py or the package webapi/a/); dispatch imports every module here."""
