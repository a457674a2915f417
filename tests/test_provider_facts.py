"""The provider-facts table against the installed pulumi-aws SDK: every type the guardrails judge or
the stacks create is covered, and every property it names is a real input of the right type."""

from __future__ import annotations

import importlib
import inspect
import json
import re
import sys
from dataclasses import dataclass
from functools import cache

import pytest

from opsctl.engine.provider_facts import FACTS, AutoName, Default, ResourceFacts, Source, facts_for
from policies.guardrails.catalog import CATALOG
from policies.guardrails.rules.tagging import required_tags
from policies.guardrails.vocabulary import tokens
from tests.conftest import ROOT

PYTHON_TYPES = {bool: "bool", int: "int", float: "float", str: "str"}
COMMIT = re.compile(r"^[0-9a-f]{40}$")
ARGS_CLASS = re.compile(r"ForwardRef\('(\w+Args)'\)")

# s3.BucketV2 is a clone of aws_s3_bucket made after pulumi-aws attaches its region and tagsAll
# callbacks (provider/compatibility.go), so it alone takes `region` and `tags` without either.
CLONED_AFTER_CALLBACKS = {"aws:s3/bucketV2:BucketV2"}


@dataclass(frozen=True)
class Input:
    wire: str
    required: bool
    annotation: str
    """The Python type hint, as text."""


def resource_class(token: str) -> type:
    """The pulumi-aws class for a type token (as tests/conftest.py's is_taggable resolves it)."""
    _, module_path, class_name = token.split(":")
    module = importlib.import_module(f"pulumi_aws.{module_path.split('/')[0].replace('lambda', 'lambda_')}")
    return getattr(module, class_name)


def inputs_of(args_class: type) -> dict[str, Input]:
    """Wire name → input, read from an input type's constructor and its `pulumi.getter`s."""
    found = {}
    for name, parameter in inspect.signature(args_class.__init__).parameters.items():
        getter = getattr(args_class, name, None)
        wire = getattr(getter.fget, "_pulumi_name", None) if isinstance(getter, property) else None
        if wire:
            found[wire] = Input(wire, parameter.default is inspect.Parameter.empty, str(parameter.annotation))
    return found


@cache
def resource_inputs(token: str) -> dict[str, Input]:
    """The inputs of the resource's own Args class (the one its module defines, not a same-named block type)."""
    module = sys.modules[resource_class(token).__module__]
    [args] = [
        c for n, c in vars(module).items() if n.endswith("Args") and getattr(c, "__module__", "") == module.__name__
    ]
    return inputs_of(args)


def input_at(token: str, path: str) -> Input:
    """The input at a dotted wire path (`[]` marks a list block), following block types."""
    namespace = sys.modules[resource_class(token).__module__]
    found = resource_inputs(token)
    *blocks, leaf = path.split(".")
    for block in blocks:
        annotation = found[block.removesuffix("[]")].annotation
        [block_type, *_] = ARGS_CLASS.findall(annotation)
        found = inputs_of(getattr(namespace, block_type))
    return found[leaf]


def guardrail_types() -> set[str]:
    """Every type a guardrail judges or reads, except those only the required-tags rule names
    (every taggable type: tagsAll is the one fact that matters there)."""
    judged = {t for g in CATALOG if g is not required_tags.GUARDRAIL for t in g.resource_types}
    named = {v for k, v in vars(tokens).items() if k.isupper() and isinstance(v, str)}
    return judged | named


def stack_types() -> set[str]:
    found = set()
    for snapshot in (ROOT / "tests" / "snapshots").glob("identity-*.json"):
        for urn, _parent in json.loads(snapshot.read_text()):
            type_ = urn.split("::")[2].split("$")[-1]
            if type_.startswith("aws:"):
                found.add(type_)
    return found


def test_every_judged_and_deployed_type_has_facts():
    missing = sorted((guardrail_types() | stack_types()) - FACTS.keys())
    assert not missing, f"no provider facts for {missing}"


@pytest.mark.parametrize("token", sorted(FACTS))
def test_type_token_is_a_pulumi_aws_resource(token):
    cls = resource_class(token)
    assert cls.__module__.startswith("pulumi_aws.")
    assert f"'{token}'" in inspect.getsource(sys.modules[cls.__module__]), f"{cls} registers another token"


def named_defaults(facts: ResourceFacts) -> list[tuple[str, Default]]:
    return [*facts.defaults.items(), *facts.nested_defaults.items()]


@pytest.mark.parametrize(
    "token, path, default",
    [(t, p, d) for t, f in sorted(FACTS.items()) for p, d in named_defaults(f)],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_default_is_an_input_of_its_type(token, path, default):
    assert "." not in path or path in FACTS[token].nested_defaults, f"{path}: nested paths belong in nested_defaults"
    found = input_at(token, path)
    assert not found.required, f"{token} {path} is required, so it has no default"
    python_type = PYTHON_TYPES[type(default.value)]
    assert re.search(rf"\b{python_type}\b", found.annotation), (
        f"{token} {path}: {found.annotation} is not {python_type}"
    )


AUTONAMED = sorted((t, f.autoname) for t, f in FACTS.items() if f.autoname)


@pytest.mark.parametrize("token, autoname", AUTONAMED, ids=[t for t, _ in AUTONAMED])
def test_autoname_property_is_an_optional_string_input(token, autoname: AutoName):
    inputs = resource_inputs(token)
    found = inputs[autoname.property]
    assert not found.required, f"{token} {autoname.property}: a required input is never autonamed"
    assert re.search(r"\bstr\b", found.annotation)
    for flag in autoname.suffix_when:
        assert re.search(r"\bbool\b", inputs[flag].annotation), f"{token} {flag} is not a boolean input"
    for other in autoname.conflicts_with:
        assert other in inputs, f"{token} has no input {other}"
    if autoname.max_length is not None:
        assert autoname.max_length > len(autoname.separator) + autoname.random_length


@pytest.mark.parametrize("token", sorted(FACTS))
def test_check_callbacks_match_the_inputs_the_resource_takes(token):
    facts, inputs, cls = FACTS[token], resource_inputs(token), resource_class(token)
    takes_tags = "tags" in inputs and hasattr(cls, "tags_all")
    if token in CLONED_AFTER_CALLBACKS:
        assert (facts.sets_tags_all, facts.region_from_provider) == (False, False)
        return
    assert facts.sets_tags_all == (takes_tags and facts.framework == "sdkv2")
    if facts.region_from_provider is not None:
        assert facts.region_from_provider == ("region" in inputs)


def test_every_fact_names_its_source():
    sources: list[Source] = []
    for facts in FACTS.values():
        sources.append(facts.framework_source)
        sources += [d.source for _, d in named_defaults(facts)]
        if facts.autoname:
            sources.append(facts.autoname.source)
    for source in sources:
        assert source.where.startswith(("hashicorp/", "pulumi/", "https://", "pulumi_aws ")), source
        assert source.commit is None or COMMIT.match(source.commit), source


def test_check_fills_only_truthy_defaults_of_sdkv2_resources():
    # A trail left as written gets logging and global events on, but multi-region and log file
    # validation stay absent: their false defaults are not written into the checked inputs.
    trail = facts_for("aws:cloudtrail/trail:Trail")
    assert trail.check_defaults() == {"enableLogging": True, "includeGlobalServiceEvents": True}
    assert facts_for("aws:cloudwatch/logGroup:LogGroup").check_defaults() == {}
    assert facts_for("aws:lambda/function:Function").check_defaults()["reservedConcurrentExecutions"] == -1


def test_autoname_comes_before_a_terraform_default_of_the_same_property():
    recorder = facts_for("aws:cfg/recorder:Recorder")
    assert recorder.defaults["name"].value == "default"
    assert "name" not in recorder.check_defaults()


def test_plugin_framework_resources_get_no_defaults_or_coercion_at_check():
    lifecycle = facts_for("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")
    assert lifecycle.framework == "plugin-framework"
    assert not lifecycle.coerces_scalars
    assert lifecycle.check_defaults() == {}
    assert facts_for("aws:kms/key:Key").coerces_scalars


def test_unknown_type_has_no_facts():
    assert facts_for("aws:ec2/vpc:Vpc") is None
