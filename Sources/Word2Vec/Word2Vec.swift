// word2vec embeddings: vocabulary, training and queries (filled by the word2vec issue).
