"""Teams (PZK): their members by dated declarations, meetings, attendance, invitations and
the meeting-day session.

Imports only `register`, `store` and the shared helpers.
"""
