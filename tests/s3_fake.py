"""A local S3-compatible store for the object-store tests: moto in server mode, in its own process
on 127.0.0.1 and a free port, started once per test session (per xdist worker) and stopped at the
end. Each test that asks for `s3_store` gets a bucket of its own and the default storage pointed
at it; `s3_env` gives the variables a subprocess (gunicorn, a Celery worker) needs to use it.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass

import pytest

ACCESS_KEY = "fne-test"
SECRET_KEY = "fne-test-secret"
REGION = "eu-west-3"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class S3Server:
    endpoint: str

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        )


@dataclass
class S3Store:
    server: S3Server
    bucket: str

    @property
    def env(self) -> dict[str, str]:
        """What a process of the platform reads to use this bucket (fne/settings.py)."""
        return {
            "FNE_S3_BUCKET": self.bucket,
            "FNE_S3_ENDPOINT_URL": self.server.endpoint,
            "FNE_S3_REGION": REGION,
            "FNE_S3_ADDRESSING_STYLE": "path",
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        }

    def objects(self) -> list[str]:
        """The keys the bucket holds."""
        answer = self.server.client().list_objects_v2(Bucket=self.bucket)
        return sorted(item["Key"] for item in answer.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.server.client().get_object(Bucket=self.bucket, Key=key)["Body"].read()

    def write(self, key: str, content: bytes) -> None:
        self.server.client().put_object(Bucket=self.bucket, Key=key, Body=content)

    def etag(self, key: str) -> str:
        return self.server.client().head_object(Bucket=self.bucket, Key=key)["ETag"]


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    with log.open("w") as handle:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=handle,
            stderr=subprocess.STDOUT,
            env={k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
        )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(endpoint + "/moto-api/", timeout=1).close()  # noqa: S310 - loopback
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("Le faux S3 (moto) n'a pas démarré : " + log.read_text()) from None
            time.sleep(0.2)
    yield S3Server(endpoint)
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture
def s3_store(s3_server, settings):
    """A fresh private bucket, and the default storage pointed at it (as FNE_S3_BUCKET would)."""
    from botocore.config import Config

    store = S3Store(s3_server, f"fne-test-{uuid.uuid4().hex[:12]}")
    s3_server.client().create_bucket(
        Bucket=store.bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    settings.FNE_S3_BUCKET = store.bucket
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "core.storage.PrivateS3Storage",
            "OPTIONS": {
                "bucket_name": store.bucket,
                "endpoint_url": s3_server.endpoint,
                "region_name": REGION,
                "access_key": ACCESS_KEY,
                "secret_key": SECRET_KEY,
                "addressing_style": "path",
                "signature_version": "s3v4",
                "client_config": Config(connect_timeout=3, read_timeout=10, retries={"max_attempts": 2}),
            },
        },
    }
    return store
