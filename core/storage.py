"""Where the platform's files live: the local disk (MEDIA_ROOT, the embedded default) or an
S3-compatible object store (settings: FNE_S3_BUCKET and friends), behind Django's
`default_storage`. Code names files by their storage name, never by a path on disk, so that a PDF
written by a worker on one machine is read by a web instance on another.

Both backends add what the download views and the readiness probe need:

- `open_stream(name)`: the file and its size, read as it is sent (the object store's answer is
  streamed, not copied to a temporary file first); FileNotFoundError when it is missing;
- `check()`: raises when the store cannot be reached or written to (the readiness probe).

Files are private: the object store gets no ACL (the bucket's own, which must be private) and
signed URLs only, and downloads go through the views that check access.
"""

import os
from pathlib import Path

from django.core.files.storage import FileSystemStorage
from storages.backends.s3 import S3Storage
from storages.utils import clean_name


class PrivateFileSystemStorage(FileSystemStorage):
    def open_stream(self, name: str):
        handle = self.open(name, "rb")
        return handle, self.size(name)

    def check(self) -> None:
        # The folder is created on the first save; what must hold is that it can be.
        location = Path(self.location)
        location.mkdir(parents=True, exist_ok=True)
        if not os.access(location, os.W_OK):
            raise PermissionError(f"{self.location} n'est pas accessible en écriture")


class PrivateS3Storage(S3Storage):
    def get_default_settings(self):
        return {
            **super().get_default_settings(),
            # Never replace an object: every name the platform makes is unique (a uuid, a
            # checksum), and a name taken by accident gets a suffix instead of overwriting a file.
            "file_overwrite": False,
            # No ACL on the objects: the bucket's own, private.
            "default_acl": None,
            # Were a URL ever made, it would be signed and short-lived.
            "querystring_auth": True,
            "querystring_expire": 60,
        }

    def open_stream(self, name: str):
        from botocore.exceptions import ClientError

        key = self._normalize_name(clean_name(name))
        try:
            answer = self.bucket.meta.client.get_object(Bucket=self.bucket_name, Key=key)
        except ClientError as err:
            if err.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 404:
                raise FileNotFoundError(f"Fichier absent du stockage : {name}") from None
            raise
        return answer["Body"], answer["ContentLength"]

    def check(self) -> None:
        self.bucket.meta.client.head_bucket(Bucket=self.bucket_name)
