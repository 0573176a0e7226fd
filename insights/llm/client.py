"""A thin layer over the `openai` client: budget check before, usage record after, one error type for failures.

Works with OpenAI or any OpenAI-compatible server (Ollama: LLM_BASE_URL=http://localhost:11434/v1, llama.cpp's
server: http://localhost:8080/v1). No retries: a slow or failing model means deterministic wording, not a wait.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field

from django.conf import settings

from . import budget

logger = logging.getLogger(__name__)


class LLMError(Exception):
    """The model gave no usable answer: disabled, over budget, timed out, failed, or answered nonsense."""


class LLMBudgetExceeded(LLMError):
    pass


@dataclass(frozen=True)
class ToolCall:
    id: str
    name: str
    arguments: str  # JSON text, as the model wrote it


@dataclass
class Completion:
    content: str
    tool_calls: list[ToolCall] = field(default_factory=list)
    prompt_tokens: int = 0
    completion_tokens: int = 0

    def as_message(self) -> dict:
        """The assistant message to send back in a tool-calling conversation."""
        message: dict = {"role": "assistant", "content": self.content or None}
        if self.tool_calls:
            message["tool_calls"] = [
                {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
                for c in self.tool_calls
            ]
        return message


def llm_enabled() -> bool:
    return bool(settings.LLM_ENABLED and settings.LLM_BASE_URL and settings.LLM_MODEL)


def _client():
    import openai  # a second of start-up for every process that merely might word an insight: load on first use

    return openai.OpenAI(
        base_url=settings.LLM_BASE_URL,
        api_key=settings.LLM_API_KEY or "not-needed",  # local servers ignore the key, the client insists on one
        timeout=settings.LLM_TIMEOUT_SECONDS,
        max_retries=0,
    )


def chat(
    messages: list[dict],
    *,
    household,
    max_tokens: int = 600,
    json_mode: bool = False,
    tools: list[dict] | None = None,
) -> Completion:
    """One chat completion, charged to `household`'s daily token budget. Raises LLMError on any failure."""
    if not llm_enabled():
        raise LLMError("the language model is not enabled")
    estimate = budget.estimate_tokens(json.dumps(messages) + json.dumps(tools or [])) + max_tokens
    if not budget.can_spend(household, estimate):
        raise LLMBudgetExceeded("today's token budget for this household is used up")
    options: dict = {"model": settings.LLM_MODEL, "messages": messages, "max_tokens": max_tokens, "temperature": 0.2}
    if json_mode:
        options["response_format"] = {"type": "json_object"}
    if tools:
        options["tools"] = tools
    import openai

    try:
        response = _client().chat.completions.create(**options)
        choice = response.choices[0].message
    except (openai.OpenAIError, IndexError, AttributeError, ValueError) as exc:
        budget.record_usage(household, prompt_tokens=estimate - max_tokens, failed=True)
        logger.warning("LLM request failed: %s", type(exc).__name__)
        raise LLMError(f"the language model failed: {type(exc).__name__}") from exc
    usage = getattr(response, "usage", None)
    prompt_tokens = getattr(usage, "prompt_tokens", None) or estimate - max_tokens
    completion_tokens = getattr(usage, "completion_tokens", None) or budget.estimate_tokens(choice.content or "")
    budget.record_usage(household, prompt_tokens=prompt_tokens, completion_tokens=completion_tokens)
    calls = [
        ToolCall(id=c.id, name=c.function.name, arguments=c.function.arguments or "{}")
        for c in (choice.tool_calls or [])
        if getattr(c, "function", None) is not None
    ]
    return Completion(choice.content or "", calls, prompt_tokens, completion_tokens)


def record_rejection(household) -> None:
    """Count an answer that came back but failed validation (its tokens were already recorded)."""
    budget.record_usage(household, requests=0, failed=True)
