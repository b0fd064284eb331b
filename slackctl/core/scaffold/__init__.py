"""Scaffolding new projects: template discovery, fetching (folder, git), rendering and safe writing."""
