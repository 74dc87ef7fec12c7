"""The MOU tracker: workshops, trainings and deliverables of a Memorandum of Understanding."""
