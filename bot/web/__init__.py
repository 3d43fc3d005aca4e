"""Read-only pages, feeds and exports of a situation for people outside chat, served over HTTP."""
