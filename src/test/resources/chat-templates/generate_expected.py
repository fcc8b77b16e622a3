#!/usr/bin/env python3
"""Writes expected.json: reference renderings of chat templates by Python's jinja2, set up exactly as
Hugging Face transformers' apply_chat_template sets it up (see README.md next to this file).

Usage (from the project root):  python3 src/test/resources/chat-templates/generate_expected.py [../shared/hf]

transformers itself is not installed here; this script reproduces what it does when rendering:
  - template: chat_template.jinja next to tokenizer_config.json wins over tokenizer_config["chat_template"];
    a list of {name, template} picks "default";
  - ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[AssistantTracker, loopcontrols]);
  - filters["tojson"] = json.dumps(x, ensure_ascii=False, indent, separators, sort_keys);
  - globals raise_exception(msg) -> TemplateError(msg), strftime_now(fmt) -> now.strftime(fmt);
  - render(messages=..., add_generation_prompt=..., **special_tokens_map) where special_tokens_map holds
    each of bos/eos/unk/sep/pad/cls/mask_token that is set, as a string (AddedToken dicts -> their content),
    special_tokens_map.json overriding tokenizer_config.json as from_pretrained does;
  - tools and documents are left out (not passed).
"""
import datetime
import json
import os
import sys

import jinja2
from jinja2.ext import Extension, loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED_HF = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "../../../../../shared/hf"))
FIXTURES = os.path.join(HERE, "fixtures")

# strftime_now must be deterministic for the comparison; the Java test uses the same instant.
NOW = datetime.datetime(2025, 3, 9, 14, 5, 6)

SPECIAL_TOKENS = ["bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token"]

SYSTEM_USER_ASSISTANT_USER = [
    {"role": "system", "content": "You are a helpful assistant. Answer in \"plain\" text."},
    {"role": "user", "content": "  What is 2+2? {{ not a tag }} {% neither %}\n"},
    {"role": "assistant", "content": "2 + 2 = 4 ✓ — naïve café 🙂 "},
    {"role": "user", "content": "And 3×3?\nExplain briefly."},
]
USER_ASSISTANT_USER = SYSTEM_USER_ASSISTANT_USER[1:]
USER_USER = [SYSTEM_USER_ASSISTANT_USER[1], SYSTEM_USER_ASSISTANT_USER[3]]
SYSTEM_ONLY_ROLES = [SYSTEM_USER_ASSISTANT_USER[0], SYSTEM_USER_ASSISTANT_USER[1]]


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)


def strftime_now(fmt):
    return NOW.strftime(fmt)


class AssistantTracker(Extension):
    """transformers' {% generation %} block; without return_assistant_tokens_mask it renders its body as is."""
    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
        return jinja2.nodes.CallBlock(self.call_method("_generation_support"), [], [], body).set_lineno(lineno)

    def _generation_support(self, caller):
        return caller()


def environment():
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[AssistantTracker, loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


def token_string(value):
    if isinstance(value, dict):
        return value.get("content")
    return value


def load(directory):
    """(template or None, special tokens) as transformers would see them."""
    config = {}
    config_path = os.path.join(directory, "tokenizer_config.json")
    if os.path.exists(config_path):
        with open(config_path, encoding="utf-8") as f:
            config = json.load(f)
    template = config.get("chat_template")
    if isinstance(template, list):
        template = {t["name"]: t["template"] for t in template}.get("default")
    jinja_path = os.path.join(directory, "chat_template.jinja")
    if os.path.exists(jinja_path):
        with open(jinja_path, encoding="utf-8") as f:
            template = f.read()
    tokens = {}
    for key in SPECIAL_TOKENS:
        value = token_string(config.get(key))
        if value is not None:
            tokens[key] = value
    # from_pretrained lets special_tokens_map.json override tokenizer_config.json's special tokens.
    map_path = os.path.join(directory, "special_tokens_map.json")
    if os.path.exists(map_path):
        with open(map_path, encoding="utf-8") as f:
            for key, value in json.load(f).items():
                if key in SPECIAL_TOKENS and token_string(value) is not None:
                    tokens[key] = token_string(value)
    return template, tokens


def render_cases(template, tokens, conversations):
    compiled = environment().from_string(template)
    cases = []
    for name, messages in conversations:
        for add_generation_prompt in (True, False):
            case = {"name": name, "add_generation_prompt": add_generation_prompt, "messages": messages}
            try:
                case["output"] = compiled.render(messages=messages, add_generation_prompt=add_generation_prompt, **tokens)
            except jinja2.exceptions.TemplateError as e:
                case["error"] = str(e)
            cases.append(case)
    return cases


def entry(directory, conversations):
    template, tokens = load(directory)
    if template is None:
        return {"template": False}
    return {"template": True, "special_tokens": tokens, "cases": render_cases(template, tokens, conversations)}


def template_dirs(root):
    for current, dirs, files in os.walk(root):
        dirs.sort()
        if "tokenizer_config.json" in files or "chat_template.jinja" in files:
            yield current


def whitespace_snippets():
    """Small templates crossing every whitespace-control sign with every tag kind and its surroundings."""
    befores = ["", "a", "a  ", "a\n", "a\n  ", "  ", "\n\t \n  "]
    afters = ["", "b", "\nb", "  \nb", "\n\nb", " b"]
    tags = [
        "{%L if true R%}\n  x\n{%L endif R%}",
        "{{L 'v' R}}",
        "{#L c R#}",
        "{%L set y = 1 R%}",
        "{%L raw R%} r {{ y }}\n {%L endraw R%}",
        "{%L for i in [1, 2] R%}\n {{L i R}} {%L endfor R%}",
    ]
    env = environment()
    snippets = []
    for tag in tags:
        for left in ["", "-", "+"]:
            for right in ["", "-", "+"]:
                if right == "+" and "{{" in tag:
                    continue  # "+}}" is not Jinja syntax
                body = tag.replace("L", left).replace("R", right)
                for before in befores:
                    for after in afters:
                        template = before + body + after
                        snippets.append({"template": template, "output": env.from_string(template).render()})
    for template in ["{{ 'a\\nb' }}", "{{ \"\\u00e9\\x41\\101\\N{BULLET}\\U0001F600\" }}", "{{ '\\d\\q' }}",
                     "line\r\nnext\rlast\r\n", "{{ '\\\\' }}|{{ \"'\" }}|{{ '\"' }}", "{{ 'a\r\nb' }}",
                     "{ {%- if true %}x{% endif %}", "{{ {'a': {'b': 1}}['a']['b'] }}", "x\n", "x\n\n"]:
        snippets.append({"template": template, "output": env.from_string(template).render()})
    return snippets


def main():
    standard = [("system-user-assistant-user", SYSTEM_USER_ASSISTANT_USER)]
    extended = standard + [
        ("user-assistant-user", USER_ASSISTANT_USER),
        ("user-user", USER_USER),
        ("system-user", SYSTEM_ONLY_ROLES),
    ]
    result = {
        "generated_by": "generate_expected.py with Python %s, jinja2 %s" % (sys.version.split()[0], jinja2.__version__),
        "strftime_now": NOW.isoformat(),
        "shared_hf": {},
        "fixtures": {},
        "whitespace_snippets": whitespace_snippets(),
    }
    for directory in template_dirs(SHARED_HF):
        result["shared_hf"][os.path.relpath(directory, SHARED_HF)] = entry(directory, extended)
    for directory in template_dirs(FIXTURES):
        result["fixtures"][os.path.relpath(directory, FIXTURES)] = entry(directory, extended)
    with open(os.path.join(HERE, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
