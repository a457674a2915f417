"""The provider schema's shapes, read from the installed Pulumi SDK's type hints: a resource's
inputs (`<Class>Args`), its outputs (the resource class's properties) and a data source's result
(`Get<Name>Result`), by wire (camelCase) name. The SDK is generated from the schema of the very
provider version the program pins, so its hints are that schema, offline.
"""

from __future__ import annotations

import importlib
import sys
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Union

import pulumi

Kind = Union[str, "Nested", None]
""""int", "float", "bool", "string", a Nested shape, or None (anything)."""

AWAITABLE = typing.get_origin(typing.Awaitable[int])


@dataclass(frozen=True)
class Nested:
    shape: str
    """"object" (fields), "list" or "map" (element)."""
    fields: Mapping[str, Kind] | None = None
    element: Kind = None


NO_FIELDS = Nested("object", None)


def _module(package: str, module_path: str) -> types.ModuleType | None:
    name = module_path.split("/")[0]
    for candidate in (f"pulumi_{package.replace('-', '_')}.{name}", f"pulumi_{package.replace('-', '_')}.{name}_"):
        try:
            return importlib.import_module(candidate)
        except ImportError:
            continue
    if name == "index":
        try:
            return importlib.import_module(f"pulumi_{package.replace('-', '_')}")
        except ImportError:
            return None
    return None


def _fields_in(package: str, module_path: str, attribute: str) -> Nested:
    module = _module(package, module_path)
    found = getattr(module, attribute, None) if module else None
    return fields_of(found) if isinstance(found, type) else NO_FIELDS


@cache
def inputs_of(type_: str) -> Nested:
    """A resource type's input fields, from its `<Class>Args` input type."""
    package, module_path, class_name = type_.split(":")
    return _fields_in(package, module_path, f"{class_name}Args")


@cache
def outputs_of(type_: str) -> Nested:
    """A resource type's output fields, from the resource class's properties."""
    package, module_path, class_name = type_.split(":")
    return _fields_in(package, module_path, class_name)


def computed_only(type_: str) -> dict[str, Kind]:
    """Outputs that are no input: what the provider computes whatever the program says."""
    inputs = inputs_of(type_).fields or {}
    return {k: v for k, v in (outputs_of(type_).fields or {}).items() if k not in inputs}


@cache
def result_of(token: str) -> Nested:
    """A data source's result fields (`aws:ec2/getAmi:getAmi` → `GetAmiResult`)."""
    package, module_path, function = token.split(":")
    return _fields_in(package, module_path, f"{function[:1].upper()}{function[1:]}Result")


@cache
def fields_of(sdk_type: type) -> Nested:
    fields: dict[str, Kind] = {}
    for attribute in vars(sdk_type).values():
        getter = getattr(attribute, "fget", None)
        wire = getattr(getter, "_pulumi_name", None)
        if wire is None:
            continue
        fields[wire] = _kind(getter.__annotations__.get("return"), sys.modules[getter.__module__])
    return Nested("object", fields)


def _resolve(name: str, module: types.ModuleType) -> Any:
    """A forward reference such as 'outputs.ApiCorsConfiguration' or 'MetricAlarmMetricQueryArgs'."""
    found: Any = module
    for part in name.split("."):
        found = getattr(found, part, None)
        if found is None:
            return None
    return found


def _kind(annotation: Any, module: types.ModuleType) -> Kind:
    """The wire shape of an SDK annotation: Input[...] unions of T, Awaitable[T] and Output[T]."""
    if isinstance(annotation, typing.ForwardRef):
        resolved = _resolve(annotation.__forward_arg__, module)
        return fields_of(resolved) if isinstance(resolved, type) else None
    if isinstance(annotation, str):
        return _kind(typing.ForwardRef(annotation), module)
    origin = typing.get_origin(annotation)
    if origin is pulumi.Output:
        return _kind(typing.get_args(annotation)[0], module)
    if origin is Union or origin is types.UnionType:
        kinds = [
            _kind(a, module)
            for a in typing.get_args(annotation)
            if a is not type(None)
            and typing.get_origin(a) is not AWAITABLE
            and not (isinstance(a, typing.ForwardRef) and a.__forward_arg__.startswith("Output"))
        ]
        known = [k for k in kinds if k is not None]
        return known[0] if len(known) == 1 else None
    if origin in (list, Sequence, typing.Sequence):
        return Nested("list", element=_kind(typing.get_args(annotation)[0], module))
    if origin in (dict, Mapping, typing.Mapping):
        return Nested("map", element=_kind(typing.get_args(annotation)[1], module))
    if annotation is bool:
        return "bool"
    if annotation is int:
        return "int"
    if annotation is float:
        return "float"
    if annotation is str:
        return "string"
    if isinstance(annotation, type):  # an input or output type such as MetricAlarmMetricQueryArgs
        return fields_of(annotation)
    return None
