"""One Typer sub-app per noun; each command parses, calls one domain function, renders."""
