"""Ask the coach: questions about the household's own money, answered from its data.

`parsing` understands the common questions, `tools` are the functions both engines call (the deterministic
`engine` directly, the language model through function calling in `llm_engine`), `safety` declines requests for
specific securities or products and holds the note every answer carries.
"""
