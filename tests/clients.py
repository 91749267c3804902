"""A test client that posts forms the way a browser does (application/x-www-form-urlencoded):
public POST URLs refuse multipart bodies, Django's test client default."""

from typing import Any
from urllib.parse import urlencode

from django.test import Client as DjangoClient


class FormClient(DjangoClient):
    def post(self, path: str, data: Any = None, content_type: str | None = None, **extra: Any):  # type: ignore[override]
        if content_type is None and (data is None or isinstance(data, dict)):
            return super().post(
                path,
                urlencode(data or {}, doseq=True),
                content_type="application/x-www-form-urlencoded",
                **extra,
            )
        if content_type is None:
            return super().post(path, data, **extra)
        return super().post(path, data, content_type=content_type, **extra)
