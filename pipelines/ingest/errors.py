"""Exceptions of the ingestion package."""

from __future__ import annotations


class FileRejectedError(Exception):
    """The file cannot be read as a table at all; it is recorded ``rejected`` with this message.

    The message names the problem; :func:`pipelines.ingest.core.ingest_file` prefixes the file.
    """


def failure_message(rel: str, exc: BaseException) -> str:
    """The message of a file that failed unexpectedly (status ``failed``, retried next run)."""
    return f"{rel}: {type(exc).__name__}: {exc}"
