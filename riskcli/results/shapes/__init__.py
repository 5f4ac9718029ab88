"""The result types by family, so that a command defines only the classes it uses (a frozen
dataclass costs about half a millisecond to create); ``riskcli.results.types`` gathers them all."""
