"""HTTP routes: each one validates input (pydantic via the resolver), calls one logic function, shapes the answer."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, CORSConfig, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestUnsupportedContentType, RequestValidationError
from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer
from aws_lambda_powertools.event_handler.openapi.params import Body, Header, Path, Query
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyValidationError,
)
from shared.orders import Order
from shared.tokens import InvalidToken, verify_bearer

from app_server.logic import auth, catalog, orders
from app_server.logic import errors as business
from app_server.logic.errors import AppError, InvalidInput, TooManyAttempts, Unauthorized
from app_server.logic.ports import Caller
from app_server.models.auth import LoginRequest, LoginResponse
from app_server.models.catalog import Category, Product, ProductPage
from app_server.models.errors import ErrorBody
from app_server.models.orders import OrderAccepted, OrderPage, PlaceOrderRequest
from app_server.wiring import dependencies

logger = Logger(child=True)

API_TITLE = "Serverless shop API"
API_VERSION = "1.0.0"

cors = CORSConfig(
    allow_origin="*",  # bearer tokens, no cookies: any origin may call the API
    allow_headers=["Authorization", "Content-Type", "Idempotency-Key"],
    expose_headers=["Location"],
    max_age=300,
)
app = APIGatewayRestResolver(enable_validation=True, cors=cors)

_ERROR_DESCRIPTIONS = {
    400: "Invalid input (the field is named)",
    401: "Missing, invalid or expired bearer token / wrong credentials",
    402: "Payment declined",
    404: "Not found",
    409: "Conflict (stock, status, too late to cancel, or a request still in progress)",
    422: "Idempotency-Key reused with a different body",
    429: "Too many failed logins for this account or from this address; see Retry-After",
    503: "Payment System unavailable; retry with the same Idempotency-Key",
}


def errors(*statuses: int, ok: int = 200) -> dict[int, Any]:
    """OpenAPI responses: the success one (schema from the return annotation) and the errors, all ErrorBody."""
    responses: dict[int, Any] = {ok: {"description": "Successful Response"}}
    for status in (400, *statuses):
        responses[status] = {
            "description": _ERROR_DESCRIPTIONS[status],
            "content": {"application/json": {"model": ErrorBody}},
        }
    return responses


BEARER: list[dict[str, list[str]]] = [{"bearer": []}]
Limit = Annotated[int, Query(ge=1, le=100, description="page size")]
NextToken = Annotated[str | None, Query(max_length=2048, description="opaque token from the previous page")]


def error_response(status: int, code: str, message: str, field: str | None = None) -> Response[str]:
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body=ErrorBody(message=message, code=code, field=field).model_dump_json(exclude_none=True),
    )


def _caller() -> Caller:
    """The customer the JWT authorizer put in the request context, or, when no authorizer ran (LocalStack
    community has none), the customer of the bearer token, verified here with the authorizer's key and checks."""
    context = app.current_event.raw_event.get("requestContext", {}).get("authorizer") or {}
    customer_id = context.get("customer_id")
    if not customer_id:
        try:
            claims = verify_bearer(dependencies().jwt_secret(), app.current_event.headers.get("Authorization"))
        except InvalidToken as error:
            logger.info("token rejected", extra={"reason": str(error)})
            raise Unauthorized("this route needs a valid bearer token: log in again") from None
        return Caller(customer_id=claims.sub, email=claims.email, locale=claims.locale)
    return Caller(
        customer_id=str(customer_id),
        email=str(context.get("email") or ""),
        locale="en" if context.get("locale") == "en" else "es",
    )


def _source() -> str:
    """The caller's address as API Gateway saw it (the limit on failed logins counts per source)."""
    identity = app.current_event.raw_event.get("requestContext", {}).get("identity") or {}
    return str(identity.get("sourceIp") or "unknown")


# ---- catalog ----------------------------------------------------------------------------------------------------


def shared_cache(app: APIGatewayRestResolver, next_middleware: NextMiddleware) -> Response[Any]:
    """A catalog answer may be kept by any cache for as long as a warm App Server keeps its listing: CloudFront's
    catalog behaviour then answers repeated reads without calling the API (stack app.yaml, CatalogCachePolicy). A
    listing a reader sees may so be up to 60 s old (30 s in the App Server, then 30 s at the edge); the stock an
    order takes is always read from the table."""
    response = next_middleware(app)
    if response.status_code == 200:
        response.headers["Cache-Control"] = f"public, max-age={int(dependencies().settings.catalog_cache_seconds)}"
    return response


@app.get("/products", summary="List products", tags=["catalog"], responses=errors(), middlewares=[shared_cache])
def list_products(
    category: Annotated[str | None, Query(max_length=64, description="category slug")] = None,
    q: Annotated[str | None, Query(max_length=100, description="text search (es/en, accent-insensitive)")] = None,
    limit: Limit = 20,
    next_token: NextToken = None,
) -> ProductPage:
    repo = dependencies().products
    return catalog.list_products(repo, category=category, q=q, limit=limit, next_token=next_token)


@app.get(
    "/products/<product_id>", summary="One product", tags=["catalog"], responses=errors(404), middlewares=[shared_cache]
)
def get_product(product_id: Annotated[str, Path(max_length=64)]) -> Product:
    return catalog.get_product(dependencies().products, product_id)


@app.get(
    "/categories",
    summary="Categories with product counts",
    tags=["catalog"],
    responses=errors(),
    middlewares=[shared_cache],
)
def list_categories() -> list[Category]:
    return catalog.list_categories(dependencies().products)


# ---- auth -------------------------------------------------------------------------------------------------------


@app.post("/auth/login", summary="Log in and get a bearer token", tags=["auth"], responses=errors(401, 429))
def login(request: Annotated[LoginRequest, Body()]) -> LoginResponse:
    deps = dependencies()
    return auth.login(
        deps.customers,
        deps.notices,
        deps.login_attempts,
        deps.login_limits,
        deps.jwt_secret(),
        request,
        source=_source(),
        now=datetime.now(UTC),
    )


# ---- orders -----------------------------------------------------------------------------------------------------


@app.post(
    "/orders",
    summary="Place an order",
    tags=["orders"],
    status_code=202,
    responses=errors(401, 402, 409, 422, 503, ok=202),
    security=BEARER,
)
def place_order(
    request: Annotated[PlaceOrderRequest, Body()],
    idempotency_key: Annotated[
        str | None,
        Header(alias="Idempotency-Key", max_length=200, description="required; a retry with it replays the answer"),
    ] = None,
) -> Response[OrderAccepted]:
    if not idempotency_key:
        raise InvalidInput("the Idempotency-Key header is required (a fresh UUID per order)", field="Idempotency-Key")
    caller = _caller()
    result = dependencies().place_order_once(
        request={
            "caller": {"customer_id": caller.customer_id, "email": caller.email, "locale": caller.locale},
            "idempotency_key": idempotency_key,
            "body": request.model_dump(mode="json"),
        }
    )
    accepted = OrderAccepted.model_validate(result)
    return Response(
        status_code=202,
        content_type=content_types.APPLICATION_JSON,
        body=accepted,
        headers={"Location": f"/orders/{accepted.order_id}"},
    )


@app.get(
    "/orders", summary="The caller's orders, newest first", tags=["orders"], responses=errors(401), security=BEARER
)
def list_orders(limit: Limit = 20, next_token: NextToken = None) -> OrderPage:
    return orders.list_orders(
        dependencies().orders, customer_id=_caller().customer_id, limit=limit, next_token=next_token
    )


@app.get(
    "/orders/<order_id>",
    summary="One of the caller's orders",
    tags=["orders"],
    responses=errors(401, 404),
    security=BEARER,
)
def get_order(order_id: Annotated[str, Path(max_length=64)]) -> Order:
    return orders.get_order(dependencies().orders, customer_id=_caller().customer_id, order_id=order_id)


@app.post(
    "/orders/<order_id>/cancel",
    summary="Cancel an order before its shipment is requested (PENDING or PAID)",
    tags=["orders"],
    responses=errors(401, 404, 409, 503),
    security=BEARER,
)
def cancel_order(order_id: Annotated[str, Path(max_length=64)]) -> Order:
    return orders.cancel_order(dependencies().orders, customer_id=_caller().customer_id, order_id=order_id)


# ---- the OpenAPI document ---------------------------------------------------------------------------------------


def openapi_json() -> str:
    document = json.loads(
        app.get_openapi_json_schema(
            title=API_TITLE,
            version=API_VERSION,
            description="Catalog, login and orders of the serverless shop. Every error is {message, code, field?}.",
            security_schemes={"bearer": HTTPBearer(bearerFormat="JWT")},
        )
    )
    # Validation failures answer 400 with ErrorBody (handler below), not the resolver's default 422 shape;
    # on POST /orders, 422 means a reused Idempotency-Key and is declared explicitly.
    for path in document.get("paths", {}).values():
        for operation in path.values():
            responses = operation.get("responses", {})
            if responses.get("422", {}).get("description") == "Validation Error":
                del responses["422"]
    schemas = document.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    return json.dumps(document, indent=2, ensure_ascii=False)


@app.get("/openapi.json", include_in_schema=False)
def get_openapi() -> Response[str]:
    return Response(status_code=200, content_type=content_types.APPLICATION_JSON, body=openapi_json())


# ---- errors: one body shape {message, code, field?} ---------------------------------------------------------------


# The HTTP status of each business error: the logic raises what went wrong, this layer says how HTTP puts it.
STATUS_OF: dict[type[AppError], int] = {
    business.InvalidInput: 400,
    business.Unauthorized: 401,
    business.PaymentRefused: 402,
    business.NotFound: 404,
    business.OutOfStock: 409,
    business.StateConflict: 409,
    business.TooLateToCancel: 409,
    business.NotCancellable: 409,
    business.IdempotencyKeyReused: 422,
    business.TooManyAttempts: 429,
    business.PaymentUnavailable: 503,
}


def status_of(error: AppError) -> int:
    return next((STATUS_OF[kind] for kind in type(error).__mro__ if kind in STATUS_OF), 500)


def handle_app_error(error: AppError) -> Response[str]:
    status = status_of(error)
    if status >= 500:
        logger.error("request failed", extra={"code": error.code, "error": error.message})
    response = error_response(status, error.code, error.message, error.field)
    if isinstance(error, TooManyAttempts):
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def handle_validation_error(error: RequestValidationError) -> Response[str]:
    first = error.errors()[0] if error.errors() else {"loc": ("body",), "msg": "invalid request"}
    location = [str(part) for part in first.get("loc", ())]
    field = ".".join(location[1:]) or location[0] if location else None
    message = str(first.get("msg", "invalid request"))
    return error_response(400, "validation_error", f"{field}: {message}" if field else message, field)


def handle_unsupported_content_type(_: RequestUnsupportedContentType) -> Response[str]:
    # Powertools raises this for a body that is neither JSON nor a form; unhandled it would be a 500.
    content_type = app.current_event.headers.get("content-type", "")
    return error_response(
        400,
        "unsupported_content_type",
        f"the body must be JSON (Content-Type: application/json), not {content_type}",
        "body",
    )


def handle_undecodable_body(_: UnicodeDecodeError) -> Response[str]:
    # A body that is not UTF-8 fails while Powertools decodes it, before any validation; unhandled it would be a 500.
    return error_response(400, "validation_error", "body: the body is not UTF-8 encoded JSON", "body")


def handle_key_reuse(_: IdempotencyValidationError) -> Response[str]:
    return error_response(
        422,
        "idempotency_key_reused",
        "this Idempotency-Key was already used with a different request body; use a new key for a new order",
        "Idempotency-Key",
    )


def handle_in_progress(_: IdempotencyAlreadyInProgressError) -> Response[str]:
    return error_response(
        409, "request_in_progress", "a request with this Idempotency-Key is still being processed; retry shortly"
    )


@app.not_found
def handle_not_found(_: NotFoundError) -> Response[str]:
    event = app.current_event
    return error_response(404, "not_found", f"no route for {event.http_method} {event.path}")


def handle_unexpected(error: Exception) -> Response[str]:
    logger.exception("unhandled error")
    return error_response(500, "internal_error", "internal error; the request id is in the logs")


# Registered by call rather than as decorators: Powertools' exception_handler is untyped.
app.exception_handler(AppError)(handle_app_error)
app.exception_handler(RequestValidationError)(handle_validation_error)
app.exception_handler(RequestUnsupportedContentType)(handle_unsupported_content_type)
app.exception_handler(UnicodeDecodeError)(handle_undecodable_body)
app.exception_handler(IdempotencyValidationError)(handle_key_reuse)
app.exception_handler(IdempotencyAlreadyInProgressError)(handle_in_progress)
app.exception_handler(Exception)(handle_unexpected)
