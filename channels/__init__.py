"""Rasa input channels of the OCRN assistant and the guards they install (credentials.yml).

One module per channel, as in `rasa/core/channels/`:
- `channels.rest`: Rasa's REST channel with request validation (clear 400s);
- `channels.socketio`: Rasa's socketio channel for the website widget (web/);
and the guards both channels install:
- `channels.messages`: every user message is cleaned and capped in length before the NLU;
- `channels.action_server`: a custom action that cannot reach the action server answers
  with a calm Dutch message instead of silence.
"""
