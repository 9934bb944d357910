"""Load the seed into the stack's DynamoDB tables with BatchWriteItem.

    python -m seed.load --products-table X --orders-table Y --customers-table Z
    python -m seed.load --stack shop-app          # table names from the stack's outputs
    python -m seed.load --check                   # validate only, touch nothing

The endpoint comes from AWS_ENDPOINT_URL (or --endpoint-url), so the same command loads the local cloud,
LocalStack or AWS. Everything is validated before the first write. Every item is a PutRequest, which
overwrites the item with the same key: loading twice leaves the same data (re-running after a partial
failure is safe). The deploy tool calls `load_all(tables, dynamodb_client)`.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from seed.dynamo import TABLE_FILES, chunks, logical_name, put_requests
from seed.validate import SeedError, load_records, validate

DATA_DIR = Path(__file__).resolve().parent / "data"
LOAD_ORDER = ("Customers", "Products", "Orders")  # referenced items before the orders that reference them
MAX_ATTEMPTS = 8
BACKOFF_BASE = 0.1  # seconds; doubles per attempt
BACKOFF_CAP = 5.0


def resolve_tables(tables: Mapping[str, str]) -> dict[str, str]:
    """Map the caller's names (`Products`, `PRODUCTS_TABLE`, `ProductsTableName`, ...) to logical names."""
    resolved: dict[str, str] = {}
    for key, name in tables.items():
        logical = logical_name(key)
        if logical and name:
            resolved[logical] = name
    missing = [t for t in LOAD_ORDER if t not in resolved]
    if missing:
        raise SeedError(
            f"no table name for {', '.join(missing)}: pass --{missing[0].lower()}-table NAME, or --stack with a stack "
            f"whose outputs include {missing[0]}Table (got {sorted(tables)})"
        )
    return resolved


def tables_from_stack(cloudformation_client: Any, stack_name: str) -> dict[str, str]:
    """Table names from a stack's outputs whose keys name a table (`ProductsTable`, `ProductsTableName`, ...)."""
    try:
        stacks = cloudformation_client.describe_stacks(StackName=stack_name)["Stacks"]
    except ClientError as exc:
        raise SeedError(f"cannot read stack {stack_name!r}: {exc.response['Error'].get('Message', exc)}") from None
    outputs = stacks[0].get("Outputs", []) if stacks else []
    found = {o["OutputKey"]: o["OutputValue"] for o in outputs if logical_name(o["OutputKey"])}
    if not found:
        keys = ", ".join(o["OutputKey"] for o in outputs) or "none"
        raise SeedError(f"stack {stack_name!r} has no outputs naming the tables (its outputs: {keys})")
    return found


def write_batch(
    client: Any,
    table_name: str,
    requests: list[dict[str, Any]],
    *,
    max_attempts: int = MAX_ATTEMPTS,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """One BatchWriteItem, resending UnprocessedItems with exponential backoff until none are left."""
    pending: dict[str, Any] = {table_name: requests}
    for attempt in range(max_attempts):
        try:
            response = client.batch_write_item(RequestItems=pending)
        except ClientError as exc:
            error = exc.response.get("Error", {})
            hint = " (deploy the stack first, or check the table name)" if "NotFound" in error.get("Code", "") else ""
            raise SeedError(
                f"BatchWriteItem on table {table_name!r} failed: {error.get('Code')}: {error.get('Message')}{hint}"
            ) from None
        except BotoCoreError as exc:
            raise SeedError(f"BatchWriteItem on table {table_name!r} failed: {exc}") from None
        pending = response.get("UnprocessedItems") or {}
        if not pending:
            return
        if attempt + 1 < max_attempts:
            sleep(min(BACKOFF_BASE * 2**attempt, BACKOFF_CAP))
    left = sum(len(v) for v in pending.values())
    raise SeedError(
        f"{left} items for table {table_name!r} were still unprocessed after {max_attempts} attempts "
        "(the table is throttling); run the load again: it overwrites, so repeating it is safe"
    )


def load_all(
    tables: Mapping[str, str],
    dynamodb_client: Any,
    data_dir: Path = DATA_DIR,
    *,
    sleep: Callable[[float], None] = time.sleep,
    only: Collection[str] | None = None,
) -> dict[str, int]:
    """Validate the seed, then put every item; returns the item count per logical table name.

    `tables` maps Products/Orders/Customers (or PRODUCTS_TABLE, ProductsTableName, ...) to real table names;
    `only` limits the load to some of them (the deploy tool loads only Products where demo customers are not wanted).
    Raises SeedError, naming the item, before any write if the data is invalid.
    """
    names = resolve_tables(tables)
    records = load_records(data_dir)
    validate(records)
    counts: dict[str, int] = {}
    for table in LOAD_ORDER:
        if only is not None and table not in only:
            continue
        for batch in chunks(put_requests(records[table])):
            write_batch(dynamodb_client, names[table], batch, sleep=sleep)
        counts[table] = len(records[table])
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m seed.load", description="Load the seed into DynamoDB.")
    for table in LOAD_ORDER:
        parser.add_argument(f"--{table.lower()}-table", metavar="NAME", help=f"the {table} table's name")
    parser.add_argument("--stack", help="read the table names from this CloudFormation stack's outputs")
    parser.add_argument(
        "--data-dir", type=Path, default=DATA_DIR, help=f"folder with {', '.join(TABLE_FILES.values())}"
    )
    parser.add_argument("--endpoint-url", help="AWS endpoint (default: $AWS_ENDPOINT_URL, else AWS itself)")
    parser.add_argument("--region", help="AWS region (default: $AWS_DEFAULT_REGION)")
    parser.add_argument("--check", action="store_true", help="only validate the data; write nothing")
    args = parser.parse_args(argv)

    try:
        # Validate first: bad data stops here, before any client is made or any table is touched.
        validate(load_records(args.data_dir))
        if args.check:
            print(f"seed data in {args.data_dir} is valid")
            return 0
        import boto3  # only needed to write

        session = boto3.session.Session(region_name=args.region)
        tables: dict[str, str] = {}
        if args.stack:
            tables.update(
                tables_from_stack(session.client("cloudformation", endpoint_url=args.endpoint_url), args.stack)
            )
        for table in LOAD_ORDER:
            if name := getattr(args, f"{table.lower()}_table"):
                tables[table] = name
        if not tables:
            parser.error("give --stack NAME or --products-table, --orders-table and --customers-table")
        client = session.client("dynamodb", endpoint_url=args.endpoint_url)
        names = resolve_tables(tables)
        counts = load_all(names, client, args.data_dir)
    except (SeedError, BotoCoreError) as exc:
        print(f"seed.load: {exc}", file=sys.stderr)
        return 1
    print(", ".join(f"{counts[t]} {t.lower()} into {names[t]}" for t in LOAD_ORDER))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
