"""The optional language-model coach, private by design. Off by default: everything works without it.

Configuration (environment):
    LLM_ENABLED=true
    LLM_BASE_URL=https://api.openai.com/v1     # OpenAI
                 http://localhost:11434/v1      # Ollama (`ollama serve`, then e.g. `ollama pull llama3.1`)
                 http://localhost:8080/v1       # llama.cpp's `llama-server`
    LLM_API_KEY=…                               # local servers accept any value
    LLM_MODEL=gpt-4o-mini | llama3.1 | …
    LLM_TIMEOUT_SECONDS=20                      # past it, the deterministic wording is used
    LLM_DAILY_TOKEN_BUDGET=20000                # per household per day

Modules:
- `client`: the `openai` client pointed at that server; every failure becomes `LLMError`, so callers fall back to
  deterministic wording.
- `budget`: the per-household daily token budget (`LLMUsage` rows).
- `privacy`: what may leave the server (aggregates only) and the redactor that enforces it.
- `payload`: the aggregate snapshot of a household sent as context.
- `schema`: JSON schemas for the model's answers, and the check that its numbers match the data it was given.
"""
