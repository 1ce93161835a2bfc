"""The one way to start the OCRN servers: Rasa, the action server, the widget page and
the staff review tool. Used by `make run`/`make shell`/`make web`/`make review`
(`python -m launcher ...`), by the tests and by the benchmarks.

- `launcher.settings`: ports, origins, the API token and the environment, from env vars;
- `launcher.stack`: the command lines and the processes (`Stack`);
- `launcher.procs`: memory and CPU of a process tree, read from /proc (benchmarks).
"""
