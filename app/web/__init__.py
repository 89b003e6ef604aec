"""HTML for people: the embeddable condition widget (`/embed/...`, `/embed.js`) and the home page (`/`)."""
