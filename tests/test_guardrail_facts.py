"""Each guardrail's facts sit on it, in its own module: the live audit's types (or why it is not
audited) and safe fix, and its place under rules/<service>/, which its policy name mirrors. The pack
runs without boto3, so nothing under policies/ may import it, or opsctl."""

import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

from opsctl.live.judge import not_audited
from opsctl.live.readers import SOURCES
from policies.guardrails import rules
from policies.guardrails.catalog import CATALOG
from policies.guardrails.model import Guardrail

READ = {t for source in SOURCES for t in source.types}
"""Type tokens the audit's readers produce."""
IDS = [g.name for g in CATALOG]


@pytest.mark.parametrize("guardrail", CATALOG, ids=IDS)
def test_every_guardrail_is_either_audited_live_or_says_why_not(guardrail):
    live = guardrail.audit
    assert bool(live.types) != bool(live.not_audited), "give audit=LiveAudit(types=...) or LiveAudit(not_audited=...)"
    assert set(live.types) <= set(guardrail.resource_types), "the audit judges only types the check reads"
    assert set(live.types) <= READ, f"no reader in opsctl/live/readers produces {set(live.types) - READ}"
    assert set(live.starts_from) <= set(live.types), "the check finds its subjects among the types it judges"


@pytest.mark.parametrize("guardrail", [g for g in CATALOG if g.audit.fix], ids=lambda g: g.name)
def test_a_live_fix_belongs_to_an_audited_guardrail_and_acts_on_what_it_reads(guardrail):
    fix = guardrail.audit.fix
    assert guardrail.audit.types and fix.action.count(":") == 1  # `service:Action`, as IAM names it
    assert not fix.target or fix.target in guardrail.audit.types


def test_the_audit_report_lists_the_not_audited_guardrails_with_their_reasons():
    reasons = not_audited()
    assert list(reasons) == [g.name for g in CATALOG if not g.audit.types]
    assert all(reason.strip() for reason in reasons.values())


def rule_modules():
    for info in pkgutil.walk_packages(rules.__path__, f"{rules.__name__}."):
        if not info.ispkg:
            yield importlib.import_module(info.name)


def test_each_rule_module_holds_at_most_one_guardrail_and_the_catalog_lists_every_one():
    defined = {}
    for module in rule_modules():
        held = [value for value in vars(module).values() if isinstance(value, Guardrail)]
        assert len(held) <= 1, f"{module.__name__} holds {[g.name for g in held]}: one guardrail per module"
        if held:
            assert held[0] is getattr(module, "GUARDRAIL", None), f"{module.__name__}: name it GUARDRAIL"
            defined[held[0].name] = module.__name__
    assert sorted(defined) == sorted(IDS)


@pytest.mark.parametrize("module", [m for m in rule_modules() if hasattr(m, "GUARDRAIL")], ids=lambda m: m.__name__)
def test_a_guardrails_policy_name_mirrors_its_folder(module):
    """`aws-<service>-...` lives in rules/<service>/ (rules/lambda_/ for lambda, a keyword)."""
    folder = module.__name__.split(".")[-2]
    service = module.GUARDRAIL.name.split("-")[1]
    assert folder.removesuffix("_") == service


IMPORT_EVERY_MODULE = """
import importlib, pkgutil, sys
import policies.guardrails as guardrails
for info in pkgutil.walk_packages(guardrails.__path__, "policies.guardrails."):
    importlib.import_module(info.name)
print(" ".join(sorted(sys.modules)))
"""


def test_nothing_under_policies_imports_boto3_botocore_or_opsctl():
    """The pack's virtualenv has neither boto3 nor opsctl: every module the pack could load, in a
    fresh interpreter that has them all, still loads none of them."""
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERY_MODULE],
        cwd=Path(__file__).parent.parent,
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = done.stdout.split()
    assert "policies.guardrails.catalog" in loaded
    assert not [m for m in loaded if m.split(".")[0] in ("boto3", "botocore", "opsctl")]
