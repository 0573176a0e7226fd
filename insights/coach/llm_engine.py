"""Ask the coach through the language model: it calls our tools (function calling) and answers from their results.

The question is scrubbed like any payload; tool results follow the privacy rules of `tools`. The final answer must
use only numbers that appeared in the question, the tool results or today's date, else the deterministic engine
answers instead.
"""

from __future__ import annotations

from ..llm import schema
from ..llm.client import chat
from ..llm.privacy import Redactor, dumps
from . import tools
from .engine import Answer

MAX_ROUNDS = 4
MAX_ANSWER_CHARS = 1200

SYSTEM = (
    "You are fincoach, a personal-finance coach answering questions about one household's own money. Today is "
    "{today}; amounts are in {currency}. Use the tools to look numbers up, then answer in two to four plain "
    "sentences. Use only numbers that the tools returned — never estimate or invent. If the tools cannot answer, "
    "say so. Never recommend specific securities, funds, coins or financial products."
)


def answer_with_llm(ctx: tools.ToolContext, question: str) -> Answer:
    """Raises LLMError (including schema.LLMInvalid) when the model cannot give a checked answer."""
    redactor = ctx.redactor or Redactor(ctx.household)
    ctx.redactor = redactor
    currency = getattr(ctx.household, "currency", "USD")
    messages: list[dict] = [
        {"role": "system", "content": SYSTEM.format(today=ctx.today.isoformat(), currency=currency)},
        {"role": "user", "content": redactor.text(question)},
    ]
    evidence = [question, ctx.today.isoformat()]
    used: list[str] = []
    for _ in range(MAX_ROUNDS):
        redactor.assert_private(dumps(messages))
        completion = chat(messages, household=ctx.household, tools=tools.tool_specs(), max_tokens=500)
        if not completion.tool_calls:
            text = completion.content.strip()
            if not text or len(text) > MAX_ANSWER_CHARS:
                raise schema.LLMInvalid("empty or overlong answer")
            schema.require_known_numbers(text, schema.allowed_numbers(" ".join(evidence)))
            return Answer(text, intent="llm", engine="llm", tools_used=used)
        messages.append(completion.as_message())
        for call in completion.tool_calls:
            result = tools.run_tool(ctx, call.name, call.arguments)
            used.append(call.name)
            evidence.append(dumps(result))
            messages.append({"role": "tool", "tool_call_id": call.id, "content": dumps(result)})
    raise schema.LLMInvalid("no answer after the tool calls")
