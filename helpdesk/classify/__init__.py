"""Categoriser of requests: type de demande, nature and motif from free text."""

from helpdesk.classify.model import Classifier, Example, Prediction

__all__ = ["Classifier", "Example", "Prediction"]
