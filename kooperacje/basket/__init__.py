"""The local basket of services: services and their directory fields, the basket of a gmina
and the gaps of a team.

Imports only `teams`, `register`, `store` and the shared helpers.
"""
