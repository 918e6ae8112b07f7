"""`{{ hit|subject_label }}`: the hit's subject by name, else its id, masked when it is a person's.
`{{ problem|localized }}`: an analytics message (or one stored as JSON, or a rejected row's
reason) in the page's language. `{{ name|dataset_title }}`: a dataset by its name in the page's
language (the code is for the title attribute)."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext

from lianqing.analytics.contract import DATASETS
from lianqing.core.wording import localized
from lianqing.leads.evidence import hit_subject
from lianqing.leads.models import Hit

register = template.Library()
register.filter("localized", localized)


@register.filter
def dataset_title(name: str) -> str:
    dataset = DATASETS.get(name)
    return gettext(dataset.title) if dataset else name


@register.filter
def subject_label(hit: Hit) -> str:
    return hit.subject_name or hit_subject(hit).text
