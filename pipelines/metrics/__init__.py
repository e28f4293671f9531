"""The metric layer: filter and metric declarations from which every figure's query is built."""
