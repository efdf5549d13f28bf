namespace OwlFactory.Grains.Accounts;

public enum UserWriteOutcome
{
    Written,
    EmailTaken,
    UsernameTaken,
    AlreadyExists,
}
