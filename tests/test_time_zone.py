"""The report's times are in the workshop's time zone (`BOARD_TIME_ZONE`, Europe/London by
default), and it says which; the JSON keeps UTC."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from board.services.record import Format, render
from board.settings import from_environment
from tests.core.test_record import sample_record

SUMMER = int(datetime(2026, 7, 1, 9, 30, tzinfo=UTC).timestamp() * 1000)


def test_the_report_and_the_markdown_give_times_in_the_workshops_time_zone() -> None:
    record = dataclasses.replace(sample_record(), exported_at=SUMMER)
    html = render(record, Format.HTML, "en", "Europe/London").body.decode()
    assert "2026-07-01 10:30 BST" in html
    assert "<dd>Europe/London</dd>" in html
    markdown = render(record, Format.MARKDOWN, "en", "Europe/London").body.decode()
    assert "times in Europe/London" in markdown
    assert "*Exported 2026-07-01 10:30 BST" in markdown
    assert '"exported_at": "2026-07-01T09:30:00Z"' in render(record, Format.JSON).body.decode()


def test_the_time_zone_is_a_setting_and_a_wrong_one_is_named() -> None:
    assert from_environment({}).time_zone == "Europe/London"
    assert from_environment({"BOARD_TIME_ZONE": "America/St_Johns"}).time_zone == "America/St_Johns"
    with pytest.raises(ValueError, match="BOARD_TIME_ZONE: 'Europe/Cardiff' is not a time zone"):
        from_environment({"BOARD_TIME_ZONE": "Europe/Cardiff"})
