"""Unit tests for bot.gptproto.registry: the model registry and the checks made before any money is spent.

Every rule comes from /work/shared/api-docs/README.md; the edges (16-pixel multiples, 3840 px, 3:1,
655,360 and 8,294,400 pixels, 32,000 characters) are tested exactly on and just past the line.
"""

from __future__ import annotations

import pytest

from bot.errors import ValidationError
from bot.gptproto.registry import (
    EDIT_MODELS,
    GEMINI_RATIOS,
    GENERATE_MODELS,
    MAX_INPUT_IMAGES,
    MAX_PROMPT_CHARS,
    MODELS,
    ImageOptions,
    JobKind,
    check_gpt2_size,
    parse_size,
    size_suggestions,
    validate_edit,
    validate_generate,
)

GEN_MODELS = ("gpt-image-1", "gpt-image-1-mini", "gpt-image-1.5", "gpt-image-2", "gpt-4o-image-vip",
              "gemini-2.5-flash-image")
FIXED_GEN_MODELS = ("gpt-image-1", "gpt-image-1-mini", "gpt-image-1.5", "gpt-4o-image-vip")
ED_MODELS = ("gpt-image-1.5-plus", "gpt-image-2-plus")
GPT2_MODELS = ("gpt-image-2", "gpt-image-2-plus")
IMG = ("https://cdn.example/a.png",)


def gen(model: str = "gpt-image-1", prompt: str = "a red fox", **kw) -> ImageOptions:
    return validate_generate(model=model, prompt=prompt, **kw)


def edit(model: str = "gpt-image-1.5-plus", prompt: str = "make it blue", images=IMG, **kw) -> ImageOptions:
    return validate_edit(model=model, prompt=prompt, images=images, **kw)


def validate(model: str, **kw) -> ImageOptions:
    """Validate with whichever endpoint ``model`` belongs to."""
    return edit(model, **kw) if model in ED_MODELS else gen(model, **kw)


def refusal(model: str, **kw) -> str:
    with pytest.raises(ValidationError) as info:
        validate(model, **kw)
    return str(info.value)


# --------------------------------------------------------------------------- the registry


def test_registry_lists_the_documented_models():
    """The registry holds exactly the six text-to-image and the two edit models of the docs."""
    assert set(GENERATE_MODELS) == set(GEN_MODELS)
    assert set(EDIT_MODELS) == set(ED_MODELS)
    assert set(MODELS) == set(GEN_MODELS) | set(ED_MODELS)
    assert all(MODELS[m].kind is JobKind.GENERATE for m in GEN_MODELS)
    assert all(MODELS[m].kind is JobKind.EDIT for m in ED_MODELS)


@pytest.mark.parametrize(("model", "key"), [("gpt-image-1.5-plus", "image"), ("gpt-image-2-plus", "images")])
def test_edit_models_name_their_input_key(model, key):
    """Each edit model sends its input images under the key its own documentation page uses."""
    assert MODELS[model].image_key == key


@pytest.mark.parametrize("model", GEN_MODELS)
def test_every_generate_model_accepts_a_plain_request(model):
    """A prompt alone is a valid request for every text-to-image model."""
    options = gen(model)
    assert options.model == model
    assert options.prompt == "a red fox"
    assert options.n == 1


@pytest.mark.parametrize("model", ED_MODELS)
def test_every_edit_model_accepts_a_plain_request_with_its_default_size(model):
    """An edit with a prompt and one image is valid and gets the documented default 1024x1024."""
    options = edit(model)
    assert options.model == model
    assert options.size == "1024x1024"
    assert options.images == IMG


# --------------------------------------------------------------------------- models and endpoints


@pytest.mark.parametrize("model", ["dall-e-3", "gpt-image-3", "GPT-IMAGE-1", "midjourney"])
def test_unknown_generate_model_is_refused_with_the_choices(model):
    """An unknown model is refused and the sentence lists the models that can be used."""
    with pytest.raises(ValidationError) as info:
        gen(model)
    text = str(info.value)
    assert model in text
    for known in GEN_MODELS:
        assert known in text


@pytest.mark.parametrize("model", ED_MODELS)
def test_edit_model_is_refused_for_generate(model):
    """An edit-only model cannot be used for text to image; the sentence lists the right ones."""
    with pytest.raises(ValidationError) as info:
        gen(model)
    choices = str(info.value).split("choose one of:")[1]
    assert "gpt-image-2," in choices and "gemini-2.5-flash-image" in choices
    assert "-plus" not in choices


@pytest.mark.parametrize("model", GEN_MODELS)
def test_generate_model_is_refused_for_edit(model):
    """A text-to-image model cannot be used for edits; the sentence lists the edit models."""
    with pytest.raises(ValidationError) as info:
        edit(model)
    choices = str(info.value).split("choose one of:")[1]
    assert "gpt-image-1.5-plus" in choices and "gpt-image-2-plus" in choices


def test_missing_model_uses_the_default():
    """No model chosen means the configured default model."""
    assert validate_generate(model=None, prompt="x", default_model="gpt-image-2").model == "gpt-image-2"
    assert validate_edit(model=None, prompt="x", images=IMG, default_model="gpt-image-2-plus").model == (
        "gpt-image-2-plus")


def test_model_name_is_stripped():
    """White space around a model name (typed in Discord) does not make it unknown."""
    assert gen("  gpt-image-1.5 ").model == "gpt-image-1.5"


# --------------------------------------------------------------------------- prompts


@pytest.mark.parametrize("prompt", [None, "", " ", "   \n\t  "])
def test_empty_prompt_is_refused(prompt):
    """An empty or white-space-only prompt is refused with a sentence asking for a description."""
    with pytest.raises(ValidationError, match="prompt is empty"):
        gen(prompt=prompt)


@pytest.mark.parametrize("model", GEN_MODELS + ED_MODELS)
def test_prompt_of_exactly_the_limit_is_accepted(model):
    """A prompt of exactly 32,000 characters is accepted by every model."""
    assert MAX_PROMPT_CHARS == 32_000
    assert len(validate(model, prompt="a" * 32_000).prompt) == 32_000


@pytest.mark.parametrize("model", GEN_MODELS + ED_MODELS)
def test_prompt_one_over_the_limit_is_refused(model):
    """A prompt of 32,001 characters is refused with its length and the limit."""
    text = refusal(model, prompt="a" * 32_001)
    assert "32,001" in text and "32,000" in text


def test_prompt_is_stripped_before_its_length_is_counted():
    """Outer white space is removed and not counted against the limit."""
    assert gen(prompt="  " + "b" * 32_000 + "\n").prompt == "b" * 32_000


def test_prompt_with_a_null_character_is_refused():
    """A NUL character in the prompt is refused before anything is sent."""
    with pytest.raises(ValidationError, match="null character"):
        gen(prompt="a\x00b")


# --------------------------------------------------------------------------- sizes: fixed models


@pytest.mark.parametrize("model", FIXED_GEN_MODELS)
@pytest.mark.parametrize("size", ["auto", "1024x1024", "1536x1024", "1024x1536"])
def test_gpt_image_1_family_accepts_its_fixed_sizes(model, size):
    """The gpt-image-1 family takes auto and the three documented sizes."""
    assert gen(model, size=size).size == size


@pytest.mark.parametrize("model", FIXED_GEN_MODELS)
@pytest.mark.parametrize("size", ["2048x2048", "1024x768", "1792x1024", "1536x1536", "1008x1008"])
def test_gpt_image_1_family_refuses_other_sizes_and_lists_the_allowed(model, size):
    """Any other size is refused and the sentence names the model, the size and every allowed size."""
    text = refusal(model, size=size)
    assert model in text and size in text
    for allowed in ("`auto`", "`1024x1024`", "`1536x1024`", "`1024x1536`"):
        assert allowed in text


@pytest.mark.parametrize(("typed", "normal"), [("1024X1024", "1024x1024"), ("1536×1024", "1536x1024"),
                                               (" 1024 x 1536 ", "1024x1536"), ("AUTO", "auto")])
def test_sizes_are_normalised(typed, normal):
    """Sizes typed with X, ×, spaces or capitals are normalised to the API's form."""
    assert gen("gpt-image-1", size=typed).size == normal


@pytest.mark.parametrize("size", [None, "", "   "])
def test_no_size_means_the_model_default(size):
    """An empty size leaves the choice to the API (None) for the gpt-image-1 family."""
    assert gen("gpt-image-1", size=size).size is None


@pytest.mark.parametrize("size", ["big", "1024", "1024x", "x1024", "1024x1024x3", "-16x16"])
def test_nonsense_size_is_refused_with_the_expected_form(size):
    """A size that isn't WIDTHxHEIGHT is refused with an example of the right form."""
    with pytest.raises(ValidationError, match="WIDTHxHEIGHT"):
        gen("gpt-image-2", size=size)


@pytest.mark.parametrize("size", ["256x256", "512x512", "1024x1024", "1536x1024", "1024x1536"])
def test_gpt_image_1_5_plus_accepts_its_edit_sizes(size):
    """gpt-image-1.5-plus takes the five sizes of its page, small ones included."""
    assert edit("gpt-image-1.5-plus", size=size).size == size


@pytest.mark.parametrize("size", ["auto", "2048x2048", "768x768"])
def test_gpt_image_1_5_plus_refuses_other_sizes(size):
    """gpt-image-1.5-plus refuses auto and unlisted sizes, naming the sizes it takes."""
    text = refusal("gpt-image-1.5-plus", size=size)
    assert "`256x256`" in text and "`1024x1536`" in text


# --------------------------------------------------------------------------- sizes: gpt-image-2


GPT2_VALID = [
    ("1024x640", "exactly 655,360 pixels"),
    ("640x1024", "exactly 655,360 pixels, portrait"),
    ("3840x2160", "exactly 8,294,400 pixels and the 3840 edge"),
    ("2160x3840", "exactly 8,294,400 pixels, portrait"),
    ("2880x2880", "exactly 8,294,400 pixels, square"),
    ("3072x1024", "exactly 3:1"),
    ("1024x3072", "exactly 1:3"),
    ("3840x1280", "3:1 on the longest edge"),
    ("1536x512", "3:1, just above the pixel floor"),
    ("816x816", "smallest 16-multiple square over the floor"),
    ("2048x1152", "preset"),
    ("1280x720", "not a preset, 16-multiples"),
]
GPT2_INVALID = [
    ("1000x1000", "multiples of 16 px; 1000x1000 is not"),
    ("1024x1000", "multiples of 16 px; 1024x1000 is not"),
    ("1025x1024", "multiples of 16 px"),
    ("3856x2160", "at most 3840 px on the longest edge; 3856x2160 is 3856 px"),
    ("2000x3856", "at most 3840 px on the longest edge"),
    ("3088x1024", "at most 3:1 (or 1:3); 3088x1024 is wider"),
    ("1024x3088", "at most 3:1 (or 1:3)"),
    ("3840x1264", "at most 3:1"),
    ("1008x640", "at least 655,360 pixels (such as 1024x640); 1008x640 has 645,120"),
    ("1024x624", "at least 655,360 pixels"),
    ("800x800", "at least 655,360 pixels"),
    ("256x256", "at least 655,360 pixels"),
    ("3840x2176", "at most 8,294,400 pixels (3840x2160); 3840x2176 has 8,355,840"),
    ("2896x2880", "at most 8,294,400 pixels"),
    ("0x1024", "must be positive"),
]


@pytest.mark.parametrize("model", GPT2_MODELS)
@pytest.mark.parametrize(("size", "why"), GPT2_VALID)
def test_gpt_image_2_accepts_sizes_on_the_edges(model, size, why):
    """gpt-image-2 (and its edit model) accepts custom sizes exactly on each documented limit."""
    assert validate(model, size=size).size == size, why


@pytest.mark.parametrize("model", GPT2_MODELS)
@pytest.mark.parametrize(("size", "sentence"), GPT2_INVALID)
def test_gpt_image_2_refuses_sizes_just_past_the_edges_and_says_which_rule(model, size, sentence):
    """A custom size one step past a limit is refused with a sentence naming the rule and the number."""
    text = refusal(model, size=size)
    assert sentence in text
    assert text.startswith(model)


def test_gpt_image_2_refusal_sentence_is_exact():
    """The 16-pixel refusal reads as one plain sentence the member can act on."""
    assert refusal("gpt-image-2", size="1000x1000") == (
        "gpt-image-2 sizes must be multiples of 16 px; 1000x1000 is not.")


@pytest.mark.parametrize("size", ["auto", "1024x1024", "1536x1024", "1024x1536", "2048x2048", "2048x1152",
                                  "3840x2160", "2160x3840"])
def test_gpt_image_2_accepts_its_presets(size):
    """Every gpt-image-2 preset (auto included) is accepted as is."""
    assert gen("gpt-image-2", size=size).size == size


def test_gpt_image_2_plus_needs_an_explicit_size():
    """gpt-image-2-plus has no ``auto``; the refusal lists its preset sizes."""
    text = refusal("gpt-image-2-plus", size="auto")
    assert "needs an explicit size" in text and "`1024x1024`" in text and "`auto`" not in text


@pytest.mark.parametrize(("size", "experimental"), [("2560x1440", False), ("2576x1440", True),
                                                    ("3840x2160", True), ("1024x1024", False)])
def test_gpt_image_2_notes_experimental_sizes(size, experimental):
    """Sizes above 2560x1440 pixels carry the documented 'experimental' note; smaller ones don't."""
    notes = gen("gpt-image-2", size=size).notes
    assert (any("experimental" in n for n in notes)) is experimental


@pytest.mark.parametrize(("w", "h"), [(1024, 640), (3840, 2160), (3072, 1024), (16 * 51, 16 * 51)])
def test_check_gpt2_size_accepts_the_edges(w, h):
    """The pixel rules on their own accept sizes exactly on the limits."""
    check_gpt2_size("gpt-image-2", w, h)


@pytest.mark.parametrize(("text", "parsed"), [("1024x768", (1024, 768)), ("1024×768", (1024, 768)),
                                              ("1024 X 768", (1024, 768)), ("1024*768", (1024, 768)),
                                              ("auto", None), ("16:9", None), ("", None), ("1024", None)])
def test_parse_size(text, parsed):
    """parse_size reads WIDTHxHEIGHT in its usual spellings and nothing else."""
    assert parse_size(text) == parsed


# --------------------------------------------------------------------------- sizes: gemini


@pytest.mark.parametrize("ratio", list(GEMINI_RATIOS))
def test_gemini_accepts_every_documented_aspect_ratio(ratio):
    """gemini-2.5-flash-image takes each of the ten documented aspect ratios."""
    assert gen("gemini-2.5-flash-image", size=ratio).size == ratio


@pytest.mark.parametrize(("pixels", "ratio"), [
    ("1024x1024", "1:1"), ("832x1248", "2:3"), ("1248x832", "3:2"), ("864x1184", "3:4"), ("1184x864", "4:3"),
    ("896x1152", "4:5"), ("1152x896", "5:4"), ("768x1344", "9:16"), ("1344x768", "16:9"), ("1536x672", "21:9"),
    ("1344×768", "16:9"), ("1344 X 768", "16:9"),
])
def test_gemini_pixel_sizes_map_to_their_ratio(pixels, ratio):
    """A gemini pixel size from the documented table is sent as its aspect ratio."""
    assert gen("gemini-2.5-flash-image", size=pixels).size == ratio


def test_gemini_ratio_with_its_label_is_accepted():
    """An autocomplete label such as '16:9 (1344×768)' is read as its ratio."""
    assert gen("gemini-2.5-flash-image", size="16:9 (1344×768)").size == "16:9"


def test_gemini_defaults_to_square():
    """No size for gemini means 1:1, the documented default."""
    assert gen("gemini-2.5-flash-image").size == "1:1"


@pytest.mark.parametrize("size", ["auto", "1:2", "16:10", "1000x1000", "1536x1024", "square"])
def test_gemini_refuses_other_sizes_and_lists_the_ratios(size):
    """Anything but a documented ratio (or its pixels) is refused with the list of ratios."""
    text = refusal("gemini-2.5-flash-image", size=size)
    assert "aspect ratio" in text
    for ratio in GEMINI_RATIOS:
        assert f"`{ratio}`" in text


def test_gemini_pixel_size_of_a_ratio():
    """ModelSpec.pixel_size gives the pixels a gemini ratio produces."""
    spec = MODELS["gemini-2.5-flash-image"]
    assert spec.pixel_size("21:9") == (1536, 672)
    assert MODELS["gpt-image-2"].pixel_size("auto") is None
    assert MODELS["gpt-image-2"].pixel_size("1280x720") == (1280, 720)


# --------------------------------------------------------------------------- qualities


@pytest.mark.parametrize("model", ("gpt-image-1", "gpt-image-1-mini", "gpt-image-1.5", "gpt-image-2",
                                   "gpt-4o-image-vip", "gpt-image-2-plus", "gpt-image-1.5-plus"))
@pytest.mark.parametrize("quality", ["auto", "low", "medium", "high", "HIGH", " low "])
def test_qualities_are_accepted_and_normalised(model, quality):
    """The four documented qualities are accepted (any case, outer spaces) by the GPT models."""
    assert validate(model, quality=quality).quality == quality.strip().lower()


@pytest.mark.parametrize("model", GEN_MODELS + ED_MODELS)
@pytest.mark.parametrize("quality", ["ultra", "hd", "standard"])
def test_unknown_quality_is_refused_with_the_choices(model, quality):
    """An undocumented quality is refused, naming the model and the qualities it takes."""
    text = refusal(model, quality=quality)
    assert model in text and f"`{quality}`" in text and "`auto`" in text


@pytest.mark.parametrize("quality", ["low", "medium", "high"])
def test_gemini_takes_no_quality_but_auto(quality):
    """gemini-2.5-flash-image has no quality setting; only auto passes."""
    assert gen("gemini-2.5-flash-image", quality="auto").quality == "auto"
    assert "choose `auto`." in refusal("gemini-2.5-flash-image", quality=quality)


def test_unset_options_stay_unset():
    """Options the member didn't choose are not sent (None), so the API's defaults apply."""
    options = gen("gpt-image-1", quality=None, background="", output_format=None)
    assert (options.quality, options.background, options.output_format) == (None, None, None)


# --------------------------------------------------------------------------- backgrounds and formats


@pytest.mark.parametrize("fmt", ["png", "webp", "auto", None])
def test_transparent_background_on_gpt_image_1_with_png_or_webp(fmt):
    """gpt-image-1 makes transparent backgrounds with png, webp or the default format."""
    options = gen("gpt-image-1", background="transparent", output_format=fmt)
    assert options.background == "transparent"


def test_transparent_background_never_with_jpeg():
    """A transparent background with JPEG output is refused: JPEG has no transparency."""
    with pytest.raises(ValidationError, match="JPEG has no transparency"):
        gen("gpt-image-1", background="transparent", output_format="jpeg")


@pytest.mark.parametrize("model", [m for m in GEN_MODELS if m != "gpt-image-1"])
def test_transparent_background_only_on_gpt_image_1(model):
    """Every other text-to-image model refuses a transparent background, naming what it takes."""
    text = refusal(model, background="transparent")
    assert model in text and "`transparent`" in text and "`auto`" in text


@pytest.mark.parametrize("model", [m for m in GEN_MODELS if m != "gemini-2.5-flash-image"] + list(ED_MODELS))
@pytest.mark.parametrize("background", ["auto", "opaque"])
def test_auto_and_opaque_backgrounds(model, background):
    """auto and opaque backgrounds are accepted by every GPT model."""
    assert validate(model, background=background).background == background


def test_gpt_image_1_5_plus_edit_may_be_transparent():
    """The gpt-image-1.5-plus edit page documents transparent backgrounds."""
    assert edit("gpt-image-1.5-plus", background="transparent").background == "transparent"


def test_gpt_image_2_plus_edit_refuses_transparent():
    """gpt-image-2-plus follows gpt-image-2, which has no transparent background."""
    assert "`transparent`" in refusal("gpt-image-2-plus", background="transparent")


@pytest.mark.parametrize("model", ["gpt-image-1", "gpt-image-1-mini", "gpt-image-1.5", "gpt-image-2"])
@pytest.mark.parametrize("fmt", ["auto", "png", "jpeg", "webp", "PNG"])
def test_formats_of_the_gpt_image_models(model, fmt):
    """The gpt-image models take every documented output format."""
    assert gen(model, output_format=fmt).output_format == fmt.lower()


@pytest.mark.parametrize("model", ["gpt-4o-image-vip", "gemini-2.5-flash-image"])
@pytest.mark.parametrize("fmt", ["jpeg", "webp"])
def test_png_only_models_refuse_other_formats(model, fmt):
    """gpt-4o-image-vip and gemini make PNG only; other formats are refused with the choices."""
    assert gen(model, output_format="png").output_format == "png"
    text = refusal(model, output_format=fmt)
    assert "output format" in text and "`png`" in text


@pytest.mark.parametrize("fmt", ["gif", "bmp", "jpg2000"])
def test_unknown_format_is_refused(fmt):
    """An undocumented output format is refused, listing the four that exist."""
    text = refusal("gpt-image-1", output_format=fmt)
    assert "`auto`, `png`, `jpeg` or `webp`" in text


# --------------------------------------------------------------------------- n


@pytest.mark.parametrize("model", [m for m in GEN_MODELS if m != "gemini-2.5-flash-image"] + list(ED_MODELS))
@pytest.mark.parametrize("n", [1, 2, 10])
def test_n_from_1_to_10(model, n):
    """Every GPT model makes 1 to 10 images per request."""
    assert validate(model, n=n).n == n


@pytest.mark.parametrize("model", [m for m in GEN_MODELS if m != "gemini-2.5-flash-image"] + list(ED_MODELS))
@pytest.mark.parametrize("n", [0, -1, 11])
def test_n_outside_1_to_10_is_refused(model, n):
    """n outside 1..10 is refused with the range and the number asked for."""
    text = refusal(model, n=n)
    assert "1 to 10" in text and str(n) in text


def test_n_defaults_to_one():
    """No n means one image."""
    assert gen(n=None).n == 1


@pytest.mark.parametrize("n", [0, 2, 10])
def test_gemini_makes_one_image(n):
    """gemini-2.5-flash-image makes exactly one image per request; any other n is refused."""
    assert gen("gemini-2.5-flash-image", n=1).n == 1
    assert "one image per request" in refusal("gemini-2.5-flash-image", n=n)


# --------------------------------------------------------------------------- edits


def test_edit_needs_an_image():
    """An edit without images is refused."""
    with pytest.raises(ValidationError, match="at least one image"):
        edit(images=[])


def test_edit_takes_at_most_sixteen_images():
    """16 input images are accepted, 17 refused (the documented limit)."""
    assert MAX_INPUT_IMAGES == 16
    assert len(edit(images=[f"https://x/{i}.png" for i in range(16)]).images) == 16
    with pytest.raises(ValidationError, match="at most 16 images, not 17"):
        edit(images=[f"https://x/{i}.png" for i in range(17)])


def test_edit_keeps_the_mask():
    """The mask URL travels with the validated edit."""
    assert edit(mask="https://cdn.example/mask.png").mask == "https://cdn.example/mask.png"


# --------------------------------------------------------------------------- ImageOptions


@pytest.mark.parametrize("options", [
    ImageOptions(model="gpt-image-1", prompt="p"),
    ImageOptions(model="gpt-image-2", prompt="a cat\nwith ünïcode 🐈", size="1280x720", quality="high", n=4,
                 background="opaque", output_format="webp"),
    ImageOptions(model="gpt-image-1.5-plus", prompt="edit", size="512x512", images=("https://a/1.png",
                 "https://a/2.png"), mask="https://a/m.png", background="transparent"),
])
def test_image_options_round_trip(options):
    """to_dict then from_dict gives back an equal ImageOptions, images as a tuple."""
    import json

    again = ImageOptions.from_dict(json.loads(json.dumps(options.to_dict())))
    assert again == options
    assert isinstance(again.images, tuple)


def test_image_options_round_trip_of_a_validated_request():
    """A validated request survives the job store's JSON round trip."""
    options = gen("gpt-image-2", size="3840x2160", n=3, quality="low")
    assert ImageOptions.from_dict(options.to_dict()) == options
    assert options.spec is MODELS["gpt-image-2"]


def test_image_options_from_a_minimal_dict():
    """from_dict fills in defaults for the keys an older row may lack."""
    options = ImageOptions.from_dict({"model": "gpt-image-1", "prompt": "p"})
    assert options == ImageOptions(model="gpt-image-1", prompt="p")


# --------------------------------------------------------------------------- size_suggestions


def values(choices: list[tuple[str, str]]) -> list[str]:
    return [v for _, v in choices]


@pytest.mark.parametrize("model", GEN_MODELS + ED_MODELS)
def test_suggestions_are_only_sizes_the_model_accepts(model):
    """Every suggested value (no text typed) validates for that model, and there are at most 25."""
    choices = size_suggestions(model, "", default_model="gpt-image-1")
    assert 0 < len(choices) <= 25
    for label, value in choices:
        assert len(label) <= 100 and len(value) <= 100
        validate(model, size=value)


@pytest.mark.parametrize(("model", "expected"), [
    ("gpt-image-1", ["auto", "1024x1024", "1536x1024", "1024x1536"]),
    ("gpt-4o-image-vip", ["auto", "1024x1024", "1536x1024", "1024x1536"]),
    ("gemini-2.5-flash-image", list(GEMINI_RATIOS)),
    ("gpt-image-1.5-plus", ["256x256", "512x512", "1024x1024", "1536x1024", "1024x1536"]),
])
def test_suggestions_per_model(model, expected):
    """The suggestions list exactly the model's own sizes, in order."""
    assert values(size_suggestions(model, "", default_model="gpt-image-1")) == expected


def test_gpt_image_2_plus_suggestions_have_no_auto():
    """gpt-image-2-plus's suggestions leave out auto, which it refuses."""
    assert "auto" not in values(size_suggestions("gpt-image-2-plus", "", default_model="gpt-image-1"))


def test_gemini_suggestions_show_the_pixels():
    """Gemini choices show the ratio and the pixel size it makes."""
    choices = dict(size_suggestions("gemini-2.5-flash-image", "", default_model="gpt-image-1"))
    assert choices["16:9 (1344×768)"] == "16:9"


def test_gpt_image_2_suggestions_mark_experimental_sizes():
    """Presets above 2560x1440 are labelled experimental in the gpt-image-2 suggestions."""
    labels = dict((v, label) for label, v in size_suggestions("gpt-image-2", "", default_model="gpt-image-1"))
    assert "experimental" in labels["3840x2160"]
    assert "experimental" not in labels["1536x1024"]


@pytest.mark.parametrize("typed", ["1280x720", "1280X720", " 1280×720 "])
def test_typed_custom_size_for_gpt_image_2_is_offered_first(typed):
    """A valid custom size typed for gpt-image-2 is offered as the first choice."""
    choices = size_suggestions("gpt-image-2", typed, default_model="gpt-image-1")
    assert choices[0] == ("1280×720 (custom)", "1280x720")
    assert len(choices) <= 25


def test_typed_invalid_custom_size_explains_the_rule():
    """An invalid custom size typed for gpt-image-2 shows the reason as the choice's label."""
    label, _ = size_suggestions("gpt-image-2", "1000x1000", default_model="gpt-image-1")[0]
    assert "multiples of 16" in label and len(label) <= 100


def test_typed_custom_size_is_not_offered_for_fixed_models():
    """The gpt-image-1 family gets no custom entry for a typed size it cannot make."""
    choices = size_suggestions("gpt-image-1", "1280x720", default_model="gpt-image-1")
    assert "1280x720" not in values(choices)
    assert set(values(choices)) <= set(MODELS["gpt-image-1"].sizes)


def test_typed_text_filters_the_suggestions():
    """Typing part of a size keeps only the matching suggestions."""
    assert values(size_suggestions("gpt-image-1", "1536x", default_model="gpt-image-1")) == ["1536x1024"]
    assert values(size_suggestions("gpt-image-1", "1536", default_model="gpt-image-1")) == ["1536x1024", "1024x1536"]
    assert values(size_suggestions("gemini-2.5-flash-image", "16:", default_model="gpt-image-1")) == ["16:9"]


def test_suggestions_for_no_or_unknown_model_follow_the_default():
    """Without a (known) model, the suggestions are those of the default model."""
    default = size_suggestions(None, "", default_model="gpt-image-2")
    assert default == size_suggestions("gpt-image-2", "", default_model="gpt-image-1")
    assert size_suggestions("no-such-model", "", default_model="gpt-image-2") == default
