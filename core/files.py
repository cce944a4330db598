"""The one way a view sends a stored file: streamed from the storage (local disk or object
store, core/storage.py), as an attachment under the name the platform gives it.

Private files (PDFs of feuilles de route, signed copies, conventions, budgets) are never kept by
a browser nor a shared cache; the view that calls this has checked access first.
"""

import mimetypes

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404

# Bytes per chunk read from the storage while sending (the object store's stream, or the file).
CHUNK = 64 * 1024


def stored_file_response(
    name: str, *, filename: str, content_type: str | None = None, private: bool = True, storage=None
) -> FileResponse:
    """The stored file `name`, sent as `filename`; 404 when the name is empty or the file is gone."""
    if not name:
        raise Http404("Fichier introuvable.")
    storage = storage or default_storage
    try:
        handle, size = storage.open_stream(name)
    except FileNotFoundError:
        raise Http404("Fichier introuvable.") from None
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response.block_size = CHUNK
    response["Content-Length"] = str(size)
    if private:
        response["Cache-Control"] = "private, no-store"
    return response


def private_file_response(fieldfile, *, filename: str, content_type: str | None = None) -> FileResponse:
    """A FileField's file (in its own storage), private."""
    if not fieldfile:
        raise Http404("Fichier introuvable.")
    return stored_file_response(
        fieldfile.name, filename=filename, content_type=content_type, storage=fieldfile.storage
    )
