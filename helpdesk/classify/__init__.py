"""Categoriser of requests: type de demande, nature and motif from free text.

Import `helpdesk.classify.model` for the model itself; this package stays light so that the
taxonomy can be imported without loading scikit-learn.
"""
