// Metrics shared by every model kind: cross-entropy units and novelty.
