"""Secrets Manager: `AWS::SecretsManager::Secret` from CloudFormation (moto skips the type).

The secret lands in moto's Secrets Manager backend, so GetSecretValue answers what the template said:
SecretString, or GenerateSecretString (PasswordLength, ExcludeCharacters, the Exclude*/Include*
switches, SecretStringTemplate + GenerateStringKey). Ref and GetAtt Id are the ARN; an update puts the
new SecretString as the current version; deleting the stack deletes the secret without recovery.
`{{resolve:secretsmanager:...}}` in other resources' properties: cloudformation_templates.py.

CreateSecret checks the name as AWS does (ASCII letters, digits and `/_+=.@-`): a name moto took, such as one
with a space, is a `ValidationException` ("Invalid name. Must be a valid name containing alphanumeric
characters, or any of the following: -/_+=.@!").
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from moto.core.common_models import CloudFormationModel

from localcloud.cfn_model import CfnModel, Properties
from localcloud.patches import original, replace

if TYPE_CHECKING:
    from localcloud.server import LocalCloud

SECRET_NAME = re.compile(r"^[A-Za-z0-9/_+=.@-]+$")


class SecretsManagerSecret(CfnModel, CloudFormationModel):
    """Ref and GetAtt Id are the secret's ARN."""

    TYPE = "AWS::SecretsManager::Secret"
    NAME_PROPERTY = "Name"
    ATTRIBUTES = ("Id",)

    @classmethod
    def create(
        cls, name: str, props: Properties, account_id: str, region_name: str, **kwargs: Any
    ) -> SecretsManagerSecret:
        from moto.secretsmanager.models import secretsmanager_backends

        backend = secretsmanager_backends[account_id][region_name]
        secret_string = props.get("SecretString")
        generate = props.get("GenerateSecretString")
        if generate is not None:
            if secret_string is not None:
                raise ValueError("Specify either SecretString or GenerateSecretString, not both")
            secret_string = _generate_secret_string(backend, generate)
        created = json.loads(
            backend.create_secret(
                name=name,
                secret_string=secret_string,
                secret_binary=None,
                description=props.get("Description"),
                tags=props.get("Tags"),
                kms_key_id=props.get("KmsKeyId"),
                client_request_token=None,
                replica_regions=props.get("ReplicaRegions") or [],
                force_overwrite=False,
            )
        )
        return cls(account_id, region_name, created["ARN"])

    @classmethod
    def update(
        cls, original: Any, name: str, props: Properties, account_id: str, region_name: str
    ) -> SecretsManagerSecret:
        from moto.secretsmanager.models import secretsmanager_backends

        if "SecretString" in props:
            secretsmanager_backends[account_id][region_name].put_secret_value(
                secret_id=original.physical_resource_id,
                secret_string=props["SecretString"],
                secret_binary=None,  # type: ignore[arg-type]
                client_request_token=None,  # type: ignore[arg-type]
                version_stages=["AWSCURRENT"],
            )
        return original

    def delete(self, account_id: str, region_name: str) -> None:
        from moto.secretsmanager.models import secretsmanager_backends

        secretsmanager_backends[account_id][region_name].delete_secret(
            self.physical_resource_id, recovery_window_in_days=None, force_delete_without_recovery=True
        )


def _generate_secret_string(backend: Any, spec: dict[str, Any]) -> str:
    def flag(key: str, default: bool = False) -> bool:
        return str(spec.get(key, default)).lower() == "true"

    password = json.loads(
        backend.get_random_password(
            password_length=int(spec.get("PasswordLength", 32)),
            exclude_characters=spec.get("ExcludeCharacters", ""),
            exclude_numbers=flag("ExcludeNumbers"),
            exclude_punctuation=flag("ExcludePunctuation"),
            exclude_uppercase=flag("ExcludeUppercase"),
            exclude_lowercase=flag("ExcludeLowercase"),
            include_space=flag("IncludeSpace"),
            require_each_included_type=flag("RequireEachIncludedType", True),
        )
    )["RandomPassword"]
    template, key = spec.get("SecretStringTemplate"), spec.get("GenerateStringKey")
    if bool(template) != bool(key):
        raise ValueError("SecretStringTemplate and GenerateStringKey must be specified together")
    if template and key:
        document = json.loads(template)
        document[key] = password
        return json.dumps(document)
    return str(password)


def _create_secret(self: Any) -> str:
    from moto.secretsmanager.exceptions import ValidationException
    from moto.secretsmanager.responses import SecretsManagerResponse

    name = self._get_param("Name")
    if isinstance(name, str) and not SECRET_NAME.match(name):
        raise ValidationException(
            "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!"
        )
    return str(original(SecretsManagerResponse, "create_secret")(self))


def install(cloud: LocalCloud) -> None:
    from moto.secretsmanager.responses import SecretsManagerResponse

    replace(SecretsManagerResponse, "create_secret", _create_secret)
