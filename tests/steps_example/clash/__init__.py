"""A kind that counts a contribution kind another kind counts, in other words (`clap`)."""
