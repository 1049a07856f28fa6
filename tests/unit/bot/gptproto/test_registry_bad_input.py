"""One table of bad requests: each is refused by the model registry before any API call, with a sentence
naming the problem.

Rows go through ``validate_generate`` and ``validate_edit``, the checks the cogs run on a command's
options before anything is spent. Every refusal must be a ``ValidationError`` (what the command tree
answers privately) and its sentence must contain the fragments of the row, which name the rule that
was broken. Bad attachments have their own table in ``tests/unit/bot/test_images_bad_input.py``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import pytest

from bot.errors import ValidationError
from bot.gptproto.registry import validate_edit, validate_generate

IMG = ["https://cdn.discordapp.com/attachments/1/2/photo.png"]


# --------------------------------------------------------------------------- the table


def gen(**kw: Any) -> Callable[[], Any]:
    """A ``/generate`` request with a valid prompt unless the row sets one."""
    kw.setdefault("prompt", "a red fox in the snow")
    kw.setdefault("model", None)
    return lambda: validate_generate(**kw)


def edit(**kw: Any) -> Callable[[], Any]:
    """An ``/edit`` request with a valid prompt and one image unless the row sets them."""
    kw.setdefault("prompt", "make it snow")
    kw.setdefault("model", None)
    kw.setdefault("images", IMG)
    return lambda: validate_edit(**kw)


ROWS: list[Any] = [
    # -- prompt
    pytest.param(gen(prompt=""), ["prompt is empty"], id="prompt-empty"),
    pytest.param(gen(prompt="   "), ["prompt is empty"], id="prompt-spaces"),
    pytest.param(gen(prompt="\n\t \u3000\xa0"), ["prompt is empty"], id="prompt-unicode-whitespace"),
    pytest.param(gen(prompt=None), ["prompt is empty"], id="prompt-none"),
    pytest.param(gen(prompt="x" * 32_001), ["32,001 characters", "limit is 32,000"], id="prompt-32001"),
    pytest.param(gen(prompt="y" * 100_000), ["100,000 characters", "limit is 32,000"], id="prompt-100000"),
    pytest.param(gen(prompt="a cat\x00"), ["null character"], id="prompt-null-char"),
    pytest.param(edit(prompt=" \n "), ["prompt is empty"], id="edit-prompt-whitespace"),
    pytest.param(edit(prompt="z" * 32_001), ["32,001 characters", "32,000"], id="edit-prompt-32001"),
    # -- model
    pytest.param(gen(model="dall-e-3"), ["`dall-e-3` is not a model", "gpt-image-1"], id="model-unknown"),
    pytest.param(gen(model="GPT-IMAGE-1"), ["`GPT-IMAGE-1` is not a model"], id="model-wrong-case"),
    pytest.param(gen(model="gpt-image-1.5-plus"), ["`gpt-image-1.5-plus` is not a model"],
                 id="model-edit-for-generate"),
    pytest.param(edit(model="gpt-image-1"), ["`gpt-image-1` is not a model", "gpt-image-1.5-plus, gpt-image-2-plus"],
                 id="model-generate-for-edit"),
    pytest.param(edit(model="midjourney"), ["`midjourney` is not a model"], id="edit-model-unknown"),
    # -- sizes off the grid
    pytest.param(gen(size="512x512"), ["gpt-image-1 cannot make 512x512", "1024x1024"], id="size-gpt1-512"),
    pytest.param(gen(size="1024x1025"), ["cannot make 1024x1025"], id="size-gpt1-odd"),
    pytest.param(gen(model="gpt-image-1-mini", size="2048x2048"), ["gpt-image-1-mini cannot make 2048x2048"],
                 id="size-mini-2048"),
    pytest.param(gen(model="gpt-image-2", size="1000x1000"), ["multiples of 16 px; 1000x1000"], id="size-gpt2-grid"),
    pytest.param(gen(model="gpt-image-2", size="1024x1030"), ["multiples of 16 px; 1024x1030"], id="size-gpt2-grid-h"),
    pytest.param(edit(model="gpt-image-2-plus", size="1000x1000"), ["multiples of 16 px"], id="size-edit-gpt2-grid"),
    pytest.param(edit(size="2048x2048"), ["gpt-image-1.5-plus cannot make 2048x2048", "256x256"],
                 id="size-edit15-2048"),
    pytest.param(edit(size="auto"), ["gpt-image-1.5-plus needs an explicit size"], id="size-edit15-auto"),
    pytest.param(edit(model="gpt-image-2-plus", size="auto"), ["needs an explicit size"], id="size-edit2-auto"),
    # -- over the edge, over 3:1, pixel range
    pytest.param(gen(model="gpt-image-2", size="3856x2160"), ["at most 3840 px on the longest edge", "3856"],
                 id="size-gpt2-edge"),
    pytest.param(gen(model="gpt-image-2", size="2160x4096"), ["at most 3840 px on the longest edge"],
                 id="size-gpt2-edge-portrait"),
    pytest.param(gen(model="gpt-image-2", size="3088x1024"), ["at most 3:1"], id="size-gpt2-ratio-wide"),
    pytest.param(gen(model="gpt-image-2", size="512x2048"), ["at most 3:1 (or 1:3)"], id="size-gpt2-ratio-tall"),
    pytest.param(edit(model="gpt-image-2-plus", size="3840x1264"), ["at most 3:1"], id="size-edit2-ratio"),
    pytest.param(gen(model="gpt-image-2", size="800x800"), ["at least 655,360 pixels", "800x800 has 640,000"],
                 id="size-gpt2-too-few-pixels"),
    pytest.param(gen(model="gpt-image-2", size="512x512"), ["at least 655,360 pixels"], id="size-gpt2-512"),
    pytest.param(gen(model="gpt-image-2", size="3840x2176"), ["at most 8,294,400 pixels", "8,355,840"],
                 id="size-gpt2-too-many-pixels"),
    pytest.param(gen(model="gpt-image-2", size="2896x2880"), ["at most 8,294,400 pixels"], id="size-gpt2-square-big"),
    pytest.param(gen(model="gpt-image-2", size="0x1024"), ["must be positive"], id="size-gpt2-zero"),
    # -- sizes that are not sizes
    pytest.param(gen(size="big"), ["`big` is not a size", "WIDTHxHEIGHT"], id="size-word"),
    pytest.param(gen(size="1024"), ["`1024` is not a size"], id="size-one-number"),
    pytest.param(gen(size="1024x"), ["`1024x` is not a size"], id="size-missing-height"),
    pytest.param(gen(size="-1024x1024"), ["is not a size"], id="size-negative"),
    pytest.param(gen(size="1024.5x1024"), ["is not a size"], id="size-fraction"),
    pytest.param(gen(model="gemini-2.5-flash-image", size="1024x768"),
                 ["takes an aspect ratio, not `1024x768`", "16:9"], id="size-gemini-pixels"),
    pytest.param(gen(model="gemini-2.5-flash-image", size="7:5"), ["takes an aspect ratio, not `7:5`"],
                 id="size-gemini-ratio"),
    # -- n out of range
    pytest.param(gen(n=0), ["1 to 10 images per request, not 0"], id="n-zero"),
    pytest.param(gen(n=11), ["1 to 10 images per request, not 11"], id="n-eleven"),
    pytest.param(gen(n=-3), ["not -3"], id="n-negative"),
    pytest.param(gen(model="gemini-2.5-flash-image", n=2), ["makes one image per request"], id="n-gemini-two"),
    pytest.param(edit(n=12), ["1 to 10 images per request, not 12"], id="edit-n-twelve"),
    # -- quality, background, format
    pytest.param(gen(quality="ultra"), ["does not take quality `ultra`", "`high`"], id="quality-unknown"),
    pytest.param(gen(model="gemini-2.5-flash-image", quality="high"), ["does not take quality `high`"],
                 id="quality-gemini"),
    pytest.param(edit(quality="best"), ["does not take quality `best`"], id="edit-quality-unknown"),
    pytest.param(gen(model="gpt-image-2", background="transparent"), ["gpt-image-2 does not take background "
                                                                      "`transparent`"], id="transparent-gpt2"),
    pytest.param(gen(model="gpt-image-1-mini", background="transparent"), ["does not take background `transparent`"],
                 id="transparent-mini"),
    pytest.param(gen(model="gemini-2.5-flash-image", background="transparent"), ["does not take background"],
                 id="transparent-gemini"),
    pytest.param(edit(model="gpt-image-2-plus", size="1024x1024", background="transparent"),
                 ["gpt-image-2-plus does not take background `transparent`"], id="transparent-edit2"),
    pytest.param(gen(background="transparent", output_format="jpeg"), ["transparent background needs PNG or WebP",
                                                                       "JPEG"], id="transparent-jpeg"),
    pytest.param(gen(background="sky"), ["does not take background `sky`"], id="background-unknown"),
    pytest.param(gen(output_format="gif"), ["does not take output format `gif`"], id="format-gif"),
    pytest.param(gen(model="gpt-4o-image-vip", output_format="webp"), ["does not take output format `webp`"],
                 id="format-vip-webp"),
    # -- edit images
    pytest.param(edit(images=[]), ["Attach at least one image"], id="edit-no-image"),
    pytest.param(edit(images=IMG * 17), ["at most 16 images, not 17"], id="edit-17-images"),
]


@pytest.mark.parametrize(("check", "fragments"), ROWS)
async def test_bad_input_is_refused_with_a_sentence_naming_the_problem(check, fragments):
    """A bad input raises a ValidationError whose sentence names what is wrong (so nothing is ever sent)."""
    with pytest.raises(ValidationError) as caught:
        result = check()
        if inspect.isawaitable(result):
            await result
    sentence = str(caught.value)
    for fragment in fragments:
        assert fragment in sentence, f"{fragment!r} not in {sentence!r}"
    assert "Traceback" not in sentence and len(sentence) < 400


def test_the_table_is_big_enough():
    """The issue asks for at least 50 bad inputs in one table."""
    assert len(ROWS) >= 50
