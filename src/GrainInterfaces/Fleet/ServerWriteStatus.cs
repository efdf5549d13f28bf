namespace OwlFactory.GrainInterfaces.Fleet;

[GenerateSerializer, Alias("owl.ServerWriteStatus")]
public enum ServerWriteStatus
{
    Ok = 0,
    NotFound = 1,
    NameTaken = 2,
    AlreadyExists = 3,
    RunsTasks = 4,
}
