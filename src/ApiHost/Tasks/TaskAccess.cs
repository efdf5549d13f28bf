using System.Security.Claims;
using OwlFactory.ApiHost.Auth;
using OwlFactory.GrainInterfaces.Tasks;

namespace OwlFactory.ApiHost.Tasks;

/// <summary>
/// Who may see a task: its owner and admins. To anyone else it is answered as if it did not exist (a 404), so task
/// ids cannot be probed.
/// </summary>
internal static class TaskAccess
{
    /// <summary>The task, if it exists and <paramref name="user"/> may see it; null otherwise.</summary>
    public static async Task<TaskView?> VisibleToAsync(this ITaskGrain grain, ClaimsPrincipal user)
    {
        var task = await grain.GetAsync();
        return task is not null && (task.UserId == user.GetUserId() || user.IsAdmin()) ? task : null;
    }
}
