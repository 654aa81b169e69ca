"""The one place that knows htmx's request and response headers."""

import json

from flask import Response, make_response, redirect, render_template, request


def is_htmx() -> bool:
    """An htmx request that wants a fragment (a history restore wants the whole page)."""
    return request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )


def render(page: str, fragment: str, status: int = 200, **context) -> Response:
    """The fragment for htmx, the whole page otherwise. `page` includes `fragment`."""
    template = fragment if is_htmx() else page
    response = make_response(render_template(template, fragment=fragment, **context), status)
    response.vary.add("HX-Request")
    return response


def go_to(url: str, target: str) -> Response:
    """After a successful post: htmx fetches `url` into `target` and updates the address bar;
    without htmx, an ordinary 303 redirect."""
    if is_htmx():
        response = make_response("", 204)
        response.headers["HX-Location"] = json.dumps({"path": url, "target": target})
        return response
    return redirect(url, 303)
