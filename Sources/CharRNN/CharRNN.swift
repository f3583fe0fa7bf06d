// Character-level RNN language models: training, checkpoints and sampling (filled by the char-RNN issue).
