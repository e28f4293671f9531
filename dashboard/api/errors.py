"""API errors as CKAN writes them: `{"success": false, "error": {"__type", "message"}}`."""

from __future__ import annotations

from flask import Response, jsonify

from dashboard.request_checks import BadRequest

# the CKAN error type for each HTTP status the API answers with
ERROR_TYPES = {
    400: "Validation Error",
    404: "Not Found Error",
    405: "Method Not Allowed",
    429: "Rate Limit Error",
    500: "Internal Error",
    503: "Service Unavailable",
}


def not_found(message: str) -> BadRequest:
    """Return the exception that answers 404 with `message`."""
    return BadRequest(message, status=404)


def error_response(message: str, status: int, headers: dict[str, str] | None = None) -> Response:
    """Return the JSON error response {success: false, error: {__type, message}} with `status`."""
    response = jsonify(
        {
            "help": "/api/v1/",
            "success": False,
            "error": {"__type": ERROR_TYPES.get(status, "Error"), "message": message},
        }
    )
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response
