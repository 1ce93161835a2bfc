"""Guards of the Rasa server, installed by our input channels (credentials.yml).

- `guards.messages`: every user message is cleaned and capped in length before the NLU;
- `guards.action_server`: a custom action that cannot reach the action server answers
  with a calm Dutch message instead of silence;
- `guards.rest_channel`: Rasa's REST channel with request validation (clear 400s) and
  both guards; `web/socketio_channel.py` installs the same guards for the widget.
"""
