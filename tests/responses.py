"""Closing a test response without closing the database connection.

`HttpResponse.close()` sends `request_finished`, whose `close_old_connections` receiver closes a
connection left outside autocommit — which every test's connection is, inside its transaction.
SQLite's in-memory test database ignores that close; PostgreSQL does not, and every later query
of the test module then fails with "the connection is closed". Django's test client disconnects
the receiver around its own close() calls: do the same.
"""

from django.core.signals import request_finished
from django.db import close_old_connections


def close_response(response) -> None:
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
