// Markov-chain baseline text models (filled by the Markov issue).
