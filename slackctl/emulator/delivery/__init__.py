"""Delivery to apps (HTTP request URLs, Socket Mode, retries, faults, the journal) and the URLs apps answer through
(response_url, incoming webhooks)."""
