// Lessons: the markdown lesson format, questions and grading, progress, check (issue 5).
